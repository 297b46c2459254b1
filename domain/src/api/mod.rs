//! Wire types of the HTTP API: request and response bodies shared by the edge and its
//! clients, apart from the rules. Errors and body parsing here; staff bodies in [`staff`].

use serde::{Deserialize, Serialize};

use crate::catalog::validate::FieldError;
use crate::field_path::FieldPath;

pub mod cases;
pub mod staff;

/// Body of every 4xx/5xx answer: a message for people, a stable code for programs, and
/// the fields at fault when the request body was the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<ApiFieldError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiFieldError {
    pub field: FieldPath,
    pub message: String,
}

impl From<FieldError> for ApiFieldError {
    fn from(e: FieldError) -> Self {
        ApiFieldError {
            field: e.field,
            message: e.message,
        }
    }
}

impl ApiError {
    pub fn new(code: &str, error: impl Into<String>) -> ApiError {
        ApiError {
            error: error.into(),
            code: code.to_string(),
            fields: Vec::new(),
        }
    }

    pub fn with_field(
        mut self,
        field: impl Into<FieldPath>,
        message: impl Into<String>,
    ) -> ApiError {
        self.fields.push(ApiFieldError {
            field: field.into(),
            message: message.into(),
        });
        self
    }
}

/// Parses a JSON request body, naming the field at fault when it does not fit.
pub fn parse_body<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, FieldError> {
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            FieldPath::new("body")
        } else {
            FieldPath::from(path)
        };
        FieldError::new(field, e.into_inner().to_string())
    })
}
