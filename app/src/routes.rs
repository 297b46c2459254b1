mod guide;
mod home;
mod progress;
mod search;
mod status;

pub use guide::GuideRoute;
pub use home::HomeRoute;
pub use progress::ProgressRoute;
pub use search::SearchRoute;
