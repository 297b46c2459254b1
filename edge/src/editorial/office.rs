//! The office every handler works in: the object's state and environment, its JSON values
//! by key, its secrets, and the records it keeps about people (`user:{name}`,
//! `session:{id}`).

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use worker::{Env, ListOptions, State};
use zhinan_domain::accounts::StaffUser;

use crate::respond::Failure;

/// A staff account as stored: the account and its password hash (PBKDF2, hex).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct StoredUser {
    pub(super) user: StaffUser,
    pub(super) salt: String,
    pub(super) hash: String,
    pub(super) rounds: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct StoredSession {
    pub(super) username: String,
    pub(super) csrf: String,
    pub(super) expires_ms: f64,
}

/// What the editorial object works with; every handler is a method of it.
pub(super) struct Office {
    pub(super) state: State,
    pub(super) env: Env,
}

impl Office {
    pub(super) fn new(state: State, env: Env) -> Self {
        Office { state, env }
    }

    pub(super) async fn get<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> std::result::Result<Option<T>, Failure> {
        let text: Option<String> = self.state.storage().get(key).await?;
        match text {
            None => Ok(None),
            Some(t) => serde_json::from_str(&t)
                .map(Some)
                .map_err(|e| Failure::Unavailable(format!("{key}: {e}"))),
        }
    }

    pub(super) async fn put<T: Serialize>(
        &self,
        key: &str,
        value: &T,
    ) -> std::result::Result<(), Failure> {
        let text = serde_json::to_string(value).map_err(|e| Failure::Unavailable(e.to_string()))?;
        self.state.storage().put(key, text).await?;
        Ok(())
    }

    /// Every stored value whose key starts with `prefix`, in key order.
    pub(super) async fn list<T: DeserializeOwned>(
        &self,
        prefix: &str,
    ) -> std::result::Result<Vec<T>, Failure> {
        let map = self
            .state
            .storage()
            .list_with_options(ListOptions::new().prefix(prefix))
            .await?;
        let mut out = Vec::new();
        for value in map.values() {
            let value = value.map_err(worker::Error::from)?;
            if let Some(text) = value.as_string() {
                if let Ok(v) = serde_json::from_str(&text) {
                    out.push(v);
                }
            }
        }
        Ok(out)
    }

    pub(super) fn secret(&self, name: &str) -> std::result::Result<String, Failure> {
        self.env
            .secret(name)
            .map(|s| s.to_string())
            .ok()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Failure::Unavailable(format!("secret {name} is not set")))
    }
}
