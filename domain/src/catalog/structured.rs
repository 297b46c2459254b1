//! A guide as schema.org structured data (JSON-LD `GovernmentService`), so a search engine
//! shows the right provider, place, hours, phones and time limit beside the result.
//!
//! Each channel of the item is one `ServiceChannel`: the window with the hall as its
//! `serviceLocation` (address, opening hours) and the consultation phones, online handling
//! with its `serviceUrl`, post with the hall's address. The promised time limit is each
//! channel's `processingTime`, an ISO 8601 duration in calendar days.

use serde_json::{json, Value};

use super::item::{Channel, DayUnit, Item, TimeLimit};
use super::phones::phone_entries;
use super::Hall;

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `limit` as an ISO 8601 duration. Working days become the calendar days they take at
/// most without holidays (each five working days a week, a part-week plus its weekend):
/// a reader is told the longer wait, never a shorter one.
pub fn processing_time(limit: TimeLimit) -> String {
    let days = match limit.unit {
        DayUnit::CalendarDays => limit.value,
        DayUnit::WorkingDays => {
            let (weeks, rest) = (limit.value / 5, limit.value % 5);
            weeks * 7 + rest + if rest > 0 { 2 } else { 0 }
        }
    };
    if days == 0 {
        "PT0S".to_string()
    } else {
        format!("P{days}D")
    }
}

fn opening_hours(item: &Item) -> Vec<Value> {
    item.place
        .hours
        .iter()
        .map(|span| {
            let days: Vec<String> = span
                .weekdays
                .iter()
                .filter_map(|d| DAYS.get(usize::from(*d).checked_sub(1)?))
                .map(|d| format!("https://schema.org/{d}"))
                .collect();
            json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": days,
                "opens": span.open,
                "closes": span.close,
            })
        })
        .collect()
}

fn phones(field: &str) -> Vec<Value> {
    phone_entries(field)
        .into_iter()
        .map(|entry| {
            let mut point = json!({
                "@type": "ContactPoint",
                "telephone": entry.number,
                "contactType": "咨询",
            });
            if let Some(label) = entry.label {
                point["name"] = Value::String(label);
            }
            point
        })
        .collect()
}

/// The `GovernmentService` of `item` at `url` (its guide page), offered at `hall`.
pub fn government_service(item: &Item, hall: Option<&Hall>, url: &str) -> Value {
    let processing = processing_time(item.promised_limit);
    let address = if item.place.address.trim().is_empty() {
        hall.map(|h| h.address.clone()).unwrap_or_default()
    } else {
        item.place.address.clone()
    };
    let place = json!({
        "@type": "Place",
        "name": hall.map_or_else(|| item.hall.clone(), |h| h.name.clone()),
        "address": address,
        "openingHoursSpecification": opening_hours(item),
    });
    let consult = phones(&item.consult_phone);
    let mut channels = Vec::new();
    for channel in &item.channels {
        let mut value = json!({
            "@type": "ServiceChannel",
            "name": channel.label(),
            "processingTime": processing,
        });
        match channel {
            Channel::Window => {
                value["serviceLocation"] = place.clone();
                if !consult.is_empty() {
                    value["servicePhone"] = Value::Array(consult.clone());
                }
            }
            Channel::Online => {
                let online = item
                    .online_url
                    .as_ref()
                    .and_then(|u| u.pc.clone().or_else(|| u.mobile.clone()));
                if let Some(online) = online {
                    value["serviceUrl"] = Value::String(online);
                }
            }
            Channel::Post => {
                value["servicePostalAddress"] = json!({
                    "@type": "PostalAddress",
                    "streetAddress": place["address"].clone(),
                });
            }
        }
        channels.push(value);
    }
    let mut service = json!({
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": item.name,
        "identifier": item.code,
        "url": url,
        "serviceType": item.item_type.label(),
        "provider": {
            "@type": "GovernmentOrganization",
            "name": item.department,
        },
        "availableChannel": channels,
    });
    if let Some(hall) = hall {
        service["areaServed"] = json!({
            "@type": "AdministrativeArea",
            "name": hall.name,
        });
    }
    service
}

/// `value` as the text of a `<script type="application/ld+json">`: `<`, `>` and `&`
/// written as JSON escapes, so no catalog text can close the script or open a comment.
pub fn script_text(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::item::OnlineUrl;
    use crate::parse_item;

    fn item() -> Item {
        parse_item(include_str!("fixtures/item.json")).unwrap()
    }

    fn limit(value: u32, unit: DayUnit) -> TimeLimit {
        TimeLimit { value, unit }
    }

    #[test]
    fn time_limits_become_iso_durations_never_shorter_than_the_wait() {
        assert_eq!(processing_time(limit(0, DayUnit::WorkingDays)), "PT0S");
        assert_eq!(processing_time(limit(20, DayUnit::CalendarDays)), "P20D");
        assert_eq!(processing_time(limit(5, DayUnit::WorkingDays)), "P7D");
        assert_eq!(processing_time(limit(3, DayUnit::WorkingDays)), "P5D");
        assert_eq!(processing_time(limit(12, DayUnit::WorkingDays)), "P18D");
    }

    #[test]
    fn a_guide_names_provider_place_hours_phones_and_channels() {
        let mut item = item();
        item.channels = vec![Channel::Window, Channel::Online, Channel::Post];
        item.online_url = Some(OnlineUrl {
            pc: Some("https://www.hnzwfw.gov.cn/item/1".into()),
            mobile: None,
        });
        item.consult_phone = "市区办理点：0376-2981236、12345".into();
        let hall = Hall {
            id: "xinxian".into(),
            name: "新县政务服务中心".into(),
            level: item.level,
            address: "新县新区金融大厦".into(),
            phone: "0376-2981000".into(),
            zones: vec![],
            county: None,
            township: None,
            hours: Vec::new(),
        };
        let ld = government_service(&item, Some(&hall), "https://zhinan.example/g/x");
        assert_eq!(ld["@type"], "GovernmentService");
        assert_eq!(ld["name"], item.name.as_str());
        assert_eq!(ld["provider"]["@type"], "GovernmentOrganization");
        assert_eq!(ld["provider"]["name"], item.department.as_str());
        assert_eq!(ld["areaServed"]["name"], "新县政务服务中心");
        assert_eq!(ld["serviceType"], item.item_type.label());
        let channels = ld["availableChannel"].as_array().unwrap();
        assert_eq!(channels.len(), 3);
        let window = &channels[0];
        assert_eq!(window["serviceLocation"]["@type"], "Place");
        assert!(!window["serviceLocation"]["openingHoursSpecification"]
            .as_array()
            .unwrap()
            .is_empty());
        let phones = window["servicePhone"].as_array().unwrap();
        assert_eq!(phones[0]["telephone"], "0376-2981236");
        assert_eq!(phones[0]["name"], "市区办理点");
        assert_eq!(phones[1]["telephone"], "12345");
        assert_eq!(
            channels[1]["serviceUrl"],
            "https://www.hnzwfw.gov.cn/item/1"
        );
        assert!(channels
            .iter()
            .all(|c| c["processingTime"].as_str().unwrap().starts_with('P')));
    }

    #[test]
    fn catalog_text_cannot_leave_the_script() {
        let mut item = item();
        item.name = "</script><script>alert(1)</script><!--".into();
        let text = script_text(&government_service(&item, None, "https://x/g/1"));
        assert!(!text.contains('<') && !text.contains('>'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], item.name.as_str());
    }
}
