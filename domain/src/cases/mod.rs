//! Cases (办件): what was accepted, its events, the receipt that identifies it, the
//! rating, and what the applicant sees of its progress.

pub mod case;
pub mod events;
pub mod progress;
pub mod proxy;
pub mod rating;
pub mod receipt;
pub mod stats;
pub mod time;

pub use case::{Case, DueClock, NewCase};
pub use events::{CaseEvent, CaseStatus, Delivery, EventKind, TransitionError};
pub use progress::{sort_for_staff, CaseRow, Progress, TimelineEntry};
pub use proxy::{ProxyProgress, ProxyRequest, ProxyRow, ProxyStatus, ProxyStep, ProxyStepKind};
pub use rating::{FollowUp, FollowUpError, Rating, RatingError, RatingRecord};
pub use receipt::{QueryCode, ReceiptNumber};
pub use time::{beijing_time, mask_name};

/// What a citizen who looked up too often reads: when to try again, not just "later".
pub fn too_many_message(wait_secs: u32) -> String {
    let wait = if wait_secs < 60 {
        format!("{} 秒", wait_secs.max(1))
    } else {
        format!("{} 分钟", wait_secs.div_ceil(60))
    };
    format!("查询过于频繁，请在 {wait}后再试。")
}

#[cfg(test)]
mod wait_tests {
    use super::too_many_message;

    #[test]
    fn the_wait_is_said_in_seconds_or_whole_minutes() {
        assert_eq!(too_many_message(42), "查询过于频繁，请在 42 秒后再试。");
        assert!(too_many_message(0).contains("1 秒"));
        assert!(too_many_message(61).contains("2 分钟"));
        assert!(too_many_message(600).contains("10 分钟"));
    }
}
