//! Who is signed in: the session every route reads, provided once by the app shell.
//! Apart from `app.rs` so pages can read it without importing the shell that imports them.

use leptos::prelude::*;
use zhinan_domain::accounts::Role;
use zhinan_domain::api::staff::SessionInfo;

/// Who is signed in (`None`: nobody). Shared by every route.
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<Option<SessionInfo>>);

impl Session {
    pub fn role(&self) -> Option<Role> {
        self.0.with(|s| s.as_ref().map(|s| s.user.role))
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
