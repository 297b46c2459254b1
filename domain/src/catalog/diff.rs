//! What changed between two versions of an item, field by field.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::item::Item;
use crate::field_path::FieldPath;

/// One changed field between two versions of an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Field path like `materials[2].name`.
    pub path: FieldPath,
    pub before: Value,
    pub after: Value,
}

fn walk(path: Option<FieldPath>, before: &Value, after: &Value, out: &mut Vec<Change>) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let sub = match &path {
                    None => FieldPath::new(key.as_str()),
                    Some(path) => path.clone().key(key.as_str()),
                };
                walk(
                    Some(sub),
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                walk(
                    Some(path.clone().unwrap_or_default().index(i)),
                    a.get(i).unwrap_or(&Value::Null),
                    b.get(i).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (a, b) if a != b => out.push(Change {
            path: path.unwrap_or_default(),
            before: a.clone(),
            after: b.clone(),
        }),
        _ => {}
    }
}

/// Field-by-field differences from `before` to `after`.
pub fn diff_items(before: &Item, after: &Item) -> Vec<Change> {
    let a = serde_json::to_value(before).unwrap_or(Value::Null);
    let b = serde_json::to_value(after).unwrap_or(Value::Null);
    let mut out = Vec::new();
    walk(None, &a, &b, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_item, Kind};

    fn item() -> Item {
        parse_item(include_str!("fixtures/item.json")).unwrap()
    }

    #[test]
    fn diff_names_the_changed_fields_only() {
        let a = item();
        let mut b = a.clone();
        b.kind = Kind::Instant;
        b.materials[2].name = "身份证".into();
        b.materials.pop();
        let changes = diff_items(&a, &b);
        let paths: Vec<String> = changes.iter().map(|c| c.path.to_string()).collect();
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        assert!(paths.contains(&"kind"));
        assert!(paths.contains(&"materials[2].name"));
        assert!(paths.iter().any(|p| p.starts_with("materials[5]")));
        assert!(!paths.contains(&"name"));
        assert!(diff_items(&a, &a).is_empty());
    }
}
