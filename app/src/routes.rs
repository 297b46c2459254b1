mod guide;
mod home;
mod search;
mod status;

pub use guide::GuideRoute;
pub use home::HomeRoute;
pub use search::SearchRoute;
