//! Sessions: signing in and out, the signed session cookie, the CSRF token every write
//! carries, and the limits on failed sign-ins (per account and per client address).

use wasm_bindgen::JsValue;
use worker::{ListOptions, Request};
use zhinan_domain::accounts::StaffUser;
use zhinan_domain::api::staff::{LoginRequest, SessionInfo};

use super::common::{body_of, forbidden, json, no_content, Answer};
use super::office::{Office, StoredSession, StoredUser};
use super::passwords;
use crate::respond::Failure;
use crate::webcrypto::{hmac_sha256, same};
use crate::{clock, limiter};

/// `__Host-`: the browser keeps it only if set Secure, for `/`, by this very host, so no
/// sibling subdomain can plant or overwrite it.
const COOKIE: &str = "__Host-zhinan_staff";
/// A session lasts a working day at most…
const SESSION_SECS: u32 = 8 * 3600;
/// …and ends after half an hour without a request (a console left open at a window).
const IDLE_MS: f64 = 30.0 * 60.0 * 1000.0;
/// The last request's time is written back at most this often.
const SEEN_EVERY_MS: f64 = 60.0 * 1000.0;

/// What a stored session is worth at `now`.
#[derive(Debug, PartialEq)]
enum Standing {
    Ended,
    /// Valid; write `last_seen_ms` back.
    Touch,
    Valid,
}

fn standing(session: &StoredSession, now: f64) -> Standing {
    if session.expires_ms < now {
        return Standing::Ended;
    }
    if session.last_seen_ms == 0.0 {
        return Standing::Touch;
    }
    let idle = now - session.last_seen_ms;
    if idle > IDLE_MS {
        Standing::Ended
    } else if idle > SEEN_EVERY_MS {
        Standing::Touch
    } else {
        Standing::Valid
    }
}
/// Failed logins allowed within the window: per account from one client address (so one
/// address cannot lock an account out for everyone), per client address over all
/// accounts, and per account over all addresses (a guesser spread over many addresses).
pub(super) const LOGIN_FAILS_PER_USER_AND_CLIENT: usize = 5;
const LOGIN_FAILS_PER_CLIENT: usize = 20;
const LOGIN_FAILS_PER_USER: usize = 100;
const LOGIN_WINDOW_MS: f64 = 15.0 * 60.0 * 1000.0;

/// The value of cookie `name` in a `Cookie` request header (`a=1; b=2`). Hand-written:
/// the `cookie` crate would bring the `time` crate and its macros into the worker to read
/// one name=value pair of our own making.
fn cookie_in(header: &str, name: &str) -> Option<String> {
    header.split(';').find_map(|part| {
        let (key, value) = part.trim().split_once('=')?;
        (key == name).then(|| value.to_string())
    })
}

fn cookie_value(req: &Request) -> Option<String> {
    let header = req.headers().get("Cookie").ok().flatten()?;
    cookie_in(&header, COOKIE)
}

/// The id of the request's session (the cookie's part before the signature).
pub(super) fn session_id(req: &Request) -> Option<String> {
    cookie_value(req).and_then(|v| v.split_once('.').map(|(id, _)| id.to_string()))
}

fn random_hex(n: u32) -> std::result::Result<String, Failure> {
    Ok(hex::encode(clock::random_bytes(n)?))
}

/// Writes need the session's CSRF token in `X-CSRF-Token`.
pub(super) fn check_csrf(
    req: &Request,
    session: &StoredSession,
) -> std::result::Result<(), Failure> {
    let token = req
        .headers()
        .get("X-CSRF-Token")
        .ok()
        .flatten()
        .unwrap_or_default();
    if !same(token.as_bytes(), session.csrf.as_bytes()) {
        return Err(Failure::Forbidden(
            "缺少或错误的 CSRF 令牌（X-CSRF-Token）".into(),
        ));
    }
    Ok(())
}

/// `GET /api/v1/staff/me`: who is signed in, and the CSRF token for their writes.
pub(super) fn me(user: StaffUser, session: StoredSession) -> Answer {
    json(
        &SessionInfo {
            user,
            csrf_token: session.csrf,
        },
        200,
    )
}

impl Office {
    /// Counts a password attempt under every `(key, limit)` before the slow hash is
    /// computed: the object may take other requests while it awaits the hash, and
    /// attempts counted only afterwards would let guesses sent in parallel all slip under
    /// the limit. Refuses with 429 when a limit is reached.
    pub(super) async fn begin_attempt(
        &self,
        counters: &[(&str, usize)],
        now: f64,
    ) -> std::result::Result<(), Failure> {
        let mut lists = Vec::with_capacity(counters.len());
        for (key, limit) in counters {
            let mut attempts: Vec<f64> = self.get(key).await?.unwrap_or_default();
            attempts.retain(|t| now - t < LOGIN_WINDOW_MS);
            if attempts.len() >= *limit {
                return Err(Failure::TooMany((LOGIN_WINDOW_MS / 1000.0) as u32));
            }
            attempts.push(now);
            lists.push(attempts);
        }
        for ((key, _), attempts) in counters.iter().zip(lists) {
            self.put(key, &attempts).await?;
        }
        Ok(())
    }

    /// Takes back the attempt counted at `now` (it succeeded).
    async fn forgive_attempt(&self, key: &str, now: f64) -> std::result::Result<(), Failure> {
        let mut attempts: Vec<f64> = self.get(key).await?.unwrap_or_default();
        if let Some(i) = attempts.iter().position(|t| *t == now) {
            attempts.remove(i);
            self.put(key, &attempts).await?;
        }
        Ok(())
    }

    async fn sign(&self, id: &str) -> std::result::Result<String, Failure> {
        let secret = self.secret("SESSION_SECRET")?;
        Ok(hex::encode(
            hmac_sha256(secret.as_bytes(), id.as_bytes()).await?,
        ))
    }

    /// The signed-in user, from the signed session cookie.
    pub(super) async fn session(
        &self,
        req: &Request,
    ) -> std::result::Result<(StaffUser, StoredSession), Failure> {
        let value = cookie_value(req).ok_or(Failure::Unauthorized)?;
        let (id, signature) = value.split_once('.').ok_or(Failure::Unauthorized)?;
        // Compared as text: the signature is the lowercase hex `sign` makes, nothing else.
        let expected = self.sign(id).await?;
        if !same(expected.as_bytes(), signature.as_bytes()) {
            return Err(Failure::Unauthorized);
        }
        let key = format!("session:{id}");
        let mut session: StoredSession = self.get(&key).await?.ok_or(Failure::Unauthorized)?;
        let now = js_sys::Date::now();
        match standing(&session, now) {
            Standing::Ended => {
                self.delete(&key).await?;
                return Err(Failure::Unauthorized);
            }
            Standing::Touch => {
                session.last_seen_ms = now;
                self.put(&key, &session).await?;
            }
            Standing::Valid => {}
        }
        let user: StoredUser = self
            .get(&format!("user:{}", session.username))
            .await?
            .ok_or(Failure::Unauthorized)?;
        if user.user.disabled {
            self.delete(&format!("session:{id}")).await?;
            return Err(Failure::Unauthorized);
        }
        Ok((user.user, session))
    }

    /// `POST /api/v1/staff/login`.
    pub(super) async fn login(&self, req: &Request, text: &str) -> Answer {
        let body: LoginRequest = body_of(text)?;
        if body.username.is_empty()
            || body.username.len() > 64
            || body.password.chars().count() > 256
        {
            return Err(Failure::bad_request(
                "bad_body",
                "用户名或密码长度不对",
                "username",
            ));
        }
        let client = limiter::client_of(req);
        let now = js_sys::Date::now();
        let stored: Option<StoredUser> = self.get(&format!("user:{}", body.username)).await?;
        let pair_key = format!("login_fails:pair:{}|{client}", body.username);
        let user_key = format!("login_fails:user:{}", body.username);
        let client_key = format!("login_fails:client:{client}");
        // Names that are no account get no counters of their own: made-up names would
        // otherwise each leave keys behind. The client's counter still limits them.
        let counters: Vec<(&str, usize)> = if stored.is_some() {
            vec![
                (&pair_key, LOGIN_FAILS_PER_USER_AND_CLIENT),
                (&user_key, LOGIN_FAILS_PER_USER),
                (&client_key, LOGIN_FAILS_PER_CLIENT),
            ]
        } else {
            vec![(&client_key, LOGIN_FAILS_PER_CLIENT)]
        };
        self.begin_attempt(&counters, now).await?;
        let ok = match &stored {
            Some(s) => passwords::matches(s, &body.password).await?,
            None => {
                // Same work for unknown names, so timing does not tell which exist.
                passwords::waste(&body.password).await?;
                false
            }
        };
        let Some(stored) = stored.filter(|_| ok) else {
            // The attempt was counted already.
            self.audit_failed_login(&body.username, &client).await?;
            return Err(Failure::Unauthorized);
        };
        self.put(&pair_key, &Vec::<f64>::new()).await?;
        self.forgive_attempt(&user_key, now).await?;
        self.forgive_attempt(&client_key, now).await?;
        if stored.user.disabled {
            // Said only to someone who knows the password.
            return Err(forbidden("账号已停用，请联系中心管理员"));
        }
        let id = random_hex(24)?;
        let csrf = random_hex(24)?;
        self.put(
            &format!("session:{id}"),
            &StoredSession {
                username: stored.user.username.clone(),
                csrf: csrf.clone(),
                expires_ms: now + f64::from(SESSION_SECS) * 1000.0,
                last_seen_ms: now,
            },
        )
        .await?;
        self.audit(
            &stored.user.username,
            "login",
            &stored.user.username,
            String::new(),
        )
        .await?;
        let signature = self.sign(&id).await?;
        let mut response = json(
            &SessionInfo {
                user: stored.user,
                csrf_token: csrf,
            },
            200,
        )?;
        response.headers_mut().set(
            "Set-Cookie",
            &format!("{COOKIE}={id}.{signature}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={SESSION_SECS}"),
        )?;
        Ok(response)
    }

    /// `POST /api/v1/staff/logout`.
    pub(super) async fn logout(&self, req: &Request) -> Answer {
        if let Some((id, _)) = cookie_value(req).as_deref().and_then(|v| v.split_once('.')) {
            self.delete(&format!("session:{id}")).await?;
        }
        let mut response = no_content()?;
        response.headers_mut().set(
            "Set-Cookie",
            &format!("{COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"),
        )?;
        Ok(response)
    }

    /// Ends every session of `username` except the one with id `keep`.
    pub(super) async fn end_sessions(
        &self,
        username: &str,
        keep: Option<&str>,
    ) -> std::result::Result<usize, Failure> {
        let storage = self.state.storage();
        crate::ops::one();
        let sessions = storage
            .list_with_options(ListOptions::new().prefix("session:"))
            .await?;
        let mut ended = Vec::new();
        sessions.for_each(&mut |value: JsValue, key: JsValue| {
            let (Some(key), Some(value)) = (key.as_string(), value.as_string()) else {
                return;
            };
            let kept = keep.is_some_and(|id| key == format!("session:{id}"));
            let theirs =
                serde_json::from_str::<StoredSession>(&value).is_ok_and(|s| s.username == username);
            if theirs && !kept {
                ended.push(key);
            }
        });
        for key in &ended {
            self.delete(key).await?;
        }
        Ok(ended.len())
    }
}

#[cfg(test)]
mod tests {
    use super::{cookie_in, standing, Standing, StoredSession, IDLE_MS, SESSION_SECS};

    fn session(started: f64, last_seen_ms: f64) -> StoredSession {
        StoredSession {
            username: "jiaojing".into(),
            csrf: "x".into(),
            expires_ms: started + f64::from(SESSION_SECS) * 1000.0,
            last_seen_ms,
        }
    }

    #[test]
    fn a_session_ends_after_half_an_hour_idle_or_a_working_day() {
        let start = 1_000_000.0;
        let minute = 60_000.0;
        assert_eq!(
            standing(&session(start, start), start + 10_000.0),
            Standing::Valid
        );
        assert_eq!(
            standing(&session(start, start), start + 2.0 * minute),
            Standing::Touch
        );
        assert_eq!(
            standing(&session(start, start), start + 29.0 * minute),
            Standing::Touch
        );
        assert_eq!(
            standing(&session(start, start), start + IDLE_MS + 1.0),
            Standing::Ended
        );
        // Busy all day still ends with the day.
        let late = start + f64::from(SESSION_SECS) * 1000.0 + 1.0;
        assert_eq!(
            standing(&session(start, late - minute), late),
            Standing::Ended
        );
        // Sessions stored before idle times count from their next request.
        assert_eq!(
            standing(&session(start, 0.0), start + 5.0 * minute),
            Standing::Touch
        );
    }

    #[test]
    fn finds_the_named_cookie_among_others() {
        let header = "theme=dark; zhinan_staff=abc.def;other=1";
        assert_eq!(
            cookie_in(header, "zhinan_staff").as_deref(),
            Some("abc.def")
        );
        assert_eq!(cookie_in(header, "other").as_deref(), Some("1"));
        assert_eq!(cookie_in(header, "theme").as_deref(), Some("dark"));
    }

    #[test]
    fn no_cookie_of_that_name() {
        assert_eq!(cookie_in("", "zhinan_staff"), None);
        assert_eq!(cookie_in("zhinan_staff", "zhinan_staff"), None);
        assert_eq!(cookie_in("x_zhinan_staff=1", "zhinan_staff"), None);
    }

    #[test]
    fn the_first_of_two_wins_and_values_keep_their_equals_signs() {
        assert_eq!(
            cookie_in("zhinan_staff=a=b; zhinan_staff=c", "zhinan_staff").as_deref(),
            Some("a=b")
        );
        assert_eq!(
            cookie_in("zhinan_staff=", "zhinan_staff").as_deref(),
            Some("")
        );
    }
}
