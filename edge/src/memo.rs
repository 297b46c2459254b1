//! Answers kept in the isolate's memory, keyed by their ETag: a guide page or an item's
//! JSON is a function of what its ETag names (catalog version, build, code), so the same
//! tag is the same bytes. A repeated scan of a guide then reads nothing and renders
//! nothing. The body is kept brotli-compressed once (the runtime would otherwise compress
//! it again for every request) beside the plain bytes for the rare client without
//! brotli. Bounded by bytes; the least recently used entry leaves first.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::rc::Rc;

use worker::{EncodeBody, Request, Response};

/// Memory the kept answers may take (plain and compressed bytes together).
const MAX_BYTES: usize = 8 * 1024 * 1024;
/// An answer larger than this is not kept (a guide page is about 30 KB).
const MAX_ENTRY: usize = 512 * 1024;
/// Brotli quality of the kept bytes: close to the best size at a fraction of quality
/// 11's time, which the first visitor of a page after a publish would wait for.
const QUALITY: u32 = 9;

/// A kept answer.
pub struct Kept {
    /// Content-Type and the like, as the answer had them.
    headers: Vec<(&'static str, String)>,
    plain: Vec<u8>,
    brotli: Vec<u8>,
}

impl Kept {
    fn size(&self) -> usize {
        self.plain.len() + self.brotli.len()
    }
}

#[derive(Default)]
struct Memo {
    entries: HashMap<String, (u64, Rc<Kept>)>,
    bytes: usize,
    clock: u64,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// The answer kept under `etag`, if any.
pub fn get(etag: &str) -> Option<Rc<Kept>> {
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        memo.clock += 1;
        let now = memo.clock;
        memo.entries.get_mut(etag).map(|(used, kept)| {
            *used = now;
            kept.clone()
        })
    })
}

/// Keeps `plain` with its `headers` under `etag` and returns it; gives `plain` back if
/// it is too large to keep or could not be compressed.
pub fn keep(
    etag: &str,
    headers: Vec<(&'static str, String)>,
    plain: Vec<u8>,
) -> Result<Rc<Kept>, Vec<u8>> {
    if plain.len() > MAX_ENTRY {
        return Err(plain);
    }
    let mut brotli = Vec::with_capacity(plain.len() / 3);
    {
        let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, QUALITY, 22);
        if writer
            .write_all(&plain)
            .and_then(|()| writer.flush())
            .is_err()
        {
            return Err(plain);
        }
    }
    let kept = Rc::new(Kept {
        headers,
        plain,
        brotli,
    });
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        memo.clock += 1;
        let now = memo.clock;
        if let Some((_, old)) = memo.entries.insert(etag.to_string(), (now, kept.clone())) {
            memo.bytes -= old.size();
        }
        memo.bytes += kept.size();
        while memo.bytes > MAX_BYTES {
            let Some(oldest) = memo
                .entries
                .iter()
                .min_by_key(|(_, (used, _))| *used)
                .map(|(key, _)| key.clone())
            else {
                break;
            };
            if let Some((_, gone)) = memo.entries.remove(&oldest) {
                memo.bytes -= gone.size();
            }
        }
    });
    Ok(kept)
}

/// The kept answer as a 200 response with its validators: the compressed bytes as they
/// are for a client that takes brotli (the runtime must not encode them again), else the
/// plain ones (which the runtime gzips when asked).
pub fn respond(
    req: &Request,
    etag: &str,
    cache_control: &str,
    kept: &Kept,
) -> worker::Result<Response> {
    let accepts_brotli = req
        .headers()
        .get("Accept-Encoding")
        .ok()
        .flatten()
        .is_some_and(|v| v.contains("br"));
    let mut response = if accepts_brotli {
        let mut response = Response::from_bytes(kept.brotli.clone())?;
        response.headers_mut().set("Content-Encoding", "br")?;
        response.with_encode_body(EncodeBody::Manual)
    } else {
        crate::respond::compress(req, Response::from_bytes(kept.plain.clone())?)?
    };
    for (name, value) in &kept.headers {
        response.headers_mut().set(name, value)?;
    }
    crate::respond::with_validators(response, etag, cache_control)
}
