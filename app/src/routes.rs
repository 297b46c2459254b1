mod guide;
mod home;
mod status;

pub use guide::GuideRoute;
pub use home::HomeRoute;
