//! Cases (办件): what was accepted, its events, the receipt that identifies it, the
//! rating, and what the applicant sees of its progress.

pub mod case;
pub mod events;
pub mod progress;
pub mod rating;
pub mod receipt;
pub mod time;

pub use case::{Case, DueClock, NewCase};
pub use events::{CaseEvent, CaseStatus, Delivery, EventKind, TransitionError};
pub use progress::{sort_for_staff, CaseRow, Progress, TimelineEntry};
pub use rating::{Rating, RatingError, RatingRecord};
pub use receipt::{QueryCode, ReceiptNumber};
pub use time::{beijing_time, mask_name};
