mod guide;
mod home;
mod life_event;
mod print;
mod progress;
mod receipt;
mod search;
mod status;

pub use guide::GuideRoute;
pub use home::HomeRoute;
pub use life_event::LifeEventRoute;
pub use print::PrintRoute;
pub use progress::ProgressRoute;
pub use receipt::ReceiptRoute;
pub use search::SearchRoute;
