//! Staff extend the citizens' words the search knows (`/api/v1/staff/search-words`):
//! everyone signed in reads the shipped list and the hall's additions; the admin replaces
//! the additions. The object keeps the list (read back by the console) and mirrors it to
//! KV, where the search pages and the index phones download pick it up.

use zhinan_domain::accounts::{Role, StaffUser};
use zhinan_domain::catalog::search::words::{
    builtin, check, CitizenWord, ReplaceWords, SearchWords,
};

use super::common::{body_of, forbidden, json, Answer};
use super::office::Office;
use crate::respond::Failure;
use crate::store::STAFF_WORDS_KEY;

/// Durable Object storage key of the staff's words.
const STORED: &str = "search_words";

impl Office {
    async fn staff_words(&self) -> std::result::Result<Vec<CitizenWord>, Failure> {
        Ok(self.get(STORED).await?.unwrap_or_default())
    }

    /// `GET /api/v1/staff/search-words`.
    pub(super) async fn words_listing(&self) -> Answer {
        json(
            &SearchWords {
                builtin: builtin(),
                staff: self.staff_words().await?,
            },
            200,
        )
    }

    /// `PUT /api/v1/staff/search-words` (admin): the hall's additions, whole.
    pub(super) async fn replace_words(&self, user: &StaffUser, body: &str) -> Answer {
        if user.role != Role::Admin {
            return Err(forbidden("只有中心管理员可以修改检索同义词"));
        }
        let sent: ReplaceWords = body_of(body)?;
        let words = check(&sent.words).map_err(Failure::bad_fields)?;
        let before = self.staff_words().await?;
        self.store_mirrored(STORED, STAFF_WORDS_KEY, &words).await?;
        let added = words.iter().filter(|w| !before.contains(w)).count();
        let removed = before.iter().filter(|w| !words.contains(w)).count();
        self.audit(
            &user.username,
            "edit_search_words",
            "search-words",
            format!(
                "共 {} 条：新增或修改 {added} 条，删除 {removed} 条",
                words.len()
            ),
        )
        .await?;
        self.words_listing().await
    }
}
