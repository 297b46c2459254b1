//! The office every handler works in: the object's state and environment, its JSON values
//! by key, its secrets, and the records it keeps about people (`user:{name}`,
//! `session:{id}`).

use std::cell::Cell;

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use worker::{Env, ListOptions, SqlStorage, SqlStorageValue, State};
use zhinan_domain::accounts::StaffUser;

use crate::ops;
use crate::respond::Failure;

/// The object's SQLite storage, its tables made: each statement is one counted storage
/// operation.
pub(super) struct Tables {
    sql: SqlStorage,
}

impl Tables {
    /// Runs a statement.
    pub(super) fn run(
        &self,
        query: &str,
        bindings: Vec<SqlStorageValue>,
    ) -> std::result::Result<(), Failure> {
        ops::one();
        self.sql.exec(query, Some(bindings))?;
        Ok(())
    }

    /// Runs a query and reads its rows.
    pub(super) fn rows<T: DeserializeOwned>(
        &self,
        query: &str,
        bindings: Vec<SqlStorageValue>,
    ) -> std::result::Result<Vec<T>, Failure> {
        ops::one();
        Ok(self.sql.exec(query, Some(bindings))?.to_array()?)
    }
}

/// Key of the published version as the office last set it.
const CURRENT: &str = "current_version";

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
    /// When the session last made a request (kept to the minute); 0 in sessions made
    /// before idle timeouts, which then count from their next request.
    #[serde(default)]
    pub(super) last_seen_ms: f64,
}

/// What the editorial object works with; every handler is a method of it.
pub(super) struct Office {
    pub(super) state: State,
    pub(super) env: Env,
    /// The SQLite index's tables exist.
    pub(super) index_tables: Cell<bool>,
    /// The index knows the published catalog.
    pub(super) index_ready: Cell<bool>,
    /// The publish job tables exist.
    pub(super) jobs_ready: Cell<bool>,
    /// The audit table exists.
    pub(super) audit_ready: Cell<bool>,
    pub(super) posters_ready: Cell<bool>,
    /// A request or the alarm is doing publishing work now.
    pub(super) advancing: Cell<bool>,
}

impl Office {
    pub(super) fn new(state: State, env: Env) -> Self {
        Office {
            state,
            env,
            index_tables: Cell::new(false),
            index_ready: Cell::new(false),
            jobs_ready: Cell::new(false),
            audit_ready: Cell::new(false),
            posters_ready: Cell::new(false),
            advancing: Cell::new(false),
        }
    }

    pub(super) async fn get<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> std::result::Result<Option<T>, Failure> {
        ops::one();
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
        ops::one();
        self.state.storage().put(key, text).await?;
        Ok(())
    }

    /// Stores `value` under `key` (the record staff read back) and mirrors it to KV
    /// `kv_key` (what readers use). A failed KV write fails the request; storing again
    /// rewrites both. While the KV write is awaited another request may store a newer
    /// record, so KV is written until it holds the record as it stands afterwards.
    pub(super) async fn store_mirrored<T>(
        &self,
        key: &str,
        kv_key: &str,
        value: &T,
    ) -> std::result::Result<(), Failure>
    where
        T: Serialize + DeserializeOwned + PartialEq + Clone + Default,
    {
        self.put(key, value).await?;
        let kv = self.env.kv("CATALOG")?;
        let mut written = value.clone();
        loop {
            let json = serde_json::to_string(&written)
                .map_err(|e| Failure::Unavailable(format!("{key} json: {e}")))?;
            ops::one();
            kv.put(kv_key, json)?.execute().await?;
            let now: T = self.get(key).await?.unwrap_or_default();
            if now == written {
                return Ok(());
            }
            written = now;
        }
    }

    pub(super) async fn delete(&self, key: &str) -> std::result::Result<(), Failure> {
        ops::one();
        self.state.storage().delete(key).await?;
        Ok(())
    }

    /// Every stored value whose key starts with `prefix`, in key order. Only for small
    /// sets (accounts); logs that grow use [`Office::list_recent`].
    pub(super) async fn list<T: DeserializeOwned>(
        &self,
        prefix: &str,
    ) -> std::result::Result<Vec<T>, Failure> {
        self.list_with(ListOptions::new().prefix(prefix)).await
    }

    /// The last `limit` values whose key starts with `prefix`, newest (last key) first.
    pub(super) async fn list_recent<T: DeserializeOwned>(
        &self,
        prefix: &str,
        limit: usize,
    ) -> std::result::Result<Vec<T>, Failure> {
        self.list_with(ListOptions::new().prefix(prefix).reverse(true).limit(limit))
            .await
    }

    async fn list_with<T: DeserializeOwned>(
        &self,
        options: ListOptions<'_>,
    ) -> std::result::Result<Vec<T>, Failure> {
        ops::one();
        let map = self.state.storage().list_with_options(options).await?;
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

    /// The published version as this office last set it (strongly consistent, unlike a
    /// KV read right after a write elsewhere), or KV's pointer before it ever published.
    pub(super) async fn current_version(&self) -> std::result::Result<u32, Failure> {
        match self.get::<u32>(CURRENT).await? {
            Some(version) => Ok(version),
            None => {
                crate::store::CatalogStore::open(&self.env)?
                    .current_version()
                    .await
            }
        }
    }

    /// Records the version `meta:current` now points at.
    pub(super) async fn set_current_version(
        &self,
        version: u32,
    ) -> std::result::Result<(), Failure> {
        self.put(CURRENT, &version).await
    }

    /// The SQLite tables of `schema`, made on first use by this object (`made` remembers).
    pub(super) fn tables(
        &self,
        schema: &[&str],
        made: &Cell<bool>,
    ) -> std::result::Result<Tables, Failure> {
        let tables = Tables {
            sql: self.state.storage().sql(),
        };
        if !made.get() {
            for statement in schema {
                tables.run(statement, Vec::new())?;
            }
            made.set(true);
        }
        Ok(tables)
    }

    pub(super) fn secret(&self, name: &str) -> std::result::Result<String, Failure> {
        crate::strong_secret(&self.env, name)
    }
}
