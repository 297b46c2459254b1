//! Dates and the working-day calendar: the holiday schedule by year, the notices staff
//! enter, and counting time limits with them. Imports run one way: `date` ← `schedule`
//! ← `workdays`, `notice`.

pub mod date;
pub mod notice;
pub mod schedule;
pub mod workdays;

pub use date::Date;
pub use schedule::{CalendarError, HolidayCalendar, HolidayPeriod, YearSchedule};
