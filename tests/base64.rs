//! The bundle layer's strict base64 decoder (`puhui::bundle::base64`) against the `base64`
//! crate's `STANDARD` engine, the decoder it replaced: on every text of up to 8 symbols over a
//! small alphabet (`A`, `Q`, `g`, `/`, `=`, `*`) and on 200,000 generated texts around real
//! encodings, both accept the same texts and decode them to the same bytes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use puhui::bundle::base64::{decode, Base64Error};

fn agree(text: &[u8]) {
    let ours = decode(text).ok();
    let theirs = STANDARD.decode(text).ok();
    assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(text));
}

/// Every text of length 0–8 over symbols chosen to hit each rule: `A` (value 0), `Q` (16: sets
/// the bits a one-byte tail must leave zero), `g` (32), `/` (63), `=` and a byte outside the
/// alphabet.
#[test]
fn exhaustive_short_texts() {
    let symbols = b"AQg/=*";
    let mut seen_ok = 0;
    for len in 0..=8u32 {
        let count = 6usize.pow(len);
        for mut n in 0..count {
            let mut text = Vec::with_capacity(len as usize);
            for _ in 0..len {
                text.push(symbols[n % 6]);
                n /= 6;
            }
            agree(&text);
            seen_ok += usize::from(decode(&text).is_ok());
        }
    }
    // Both `=` and `==` tails, and clean texts, were among the accepted ones.
    assert!(seen_ok > 1000, "{seen_ok}");
}

/// Real encodings of random bytes, then with one byte changed, one dropped or one added.
#[test]
fn generated_texts_around_real_encodings() {
    let mut next = common::stream(0x9e37_79b9_7f4a_7c15);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n";
    for _ in 0..200_000 {
        let len = next(70) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| next(256) as u8).collect();
        let mut text = STANDARD.encode(&bytes).into_bytes();
        assert_eq!(decode(&text), Ok(bytes.clone()));
        match next(4) {
            0 => {}
            1 if !text.is_empty() => {
                let at = next(text.len() as u64) as usize;
                text[at] = alphabet[next(alphabet.len() as u64) as usize];
            }
            2 if !text.is_empty() => {
                text.remove(next(text.len() as u64) as usize);
            }
            _ => {
                let at = next(text.len() as u64 + 1) as usize;
                text.insert(at, alphabet[next(alphabet.len() as u64) as usize]);
            }
        }
        agree(&text);
    }
}

/// The refusals name the rule and the offset.
#[test]
fn refusals() {
    assert_eq!(decode(b"QUJD"), Ok(b"ABC".to_vec()));
    assert_eq!(decode(b"QUI="), Ok(b"AB".to_vec()));
    assert_eq!(decode(b"QQ=="), Ok(b"A".to_vec()));
    assert_eq!(decode(b""), Ok(Vec::new()));
    assert_eq!(decode(b"QUJ"), Err(Base64Error::Length));
    assert_eq!(decode(b"QU*D"), Err(Base64Error::Symbol(2)));
    assert_eq!(decode(b"QQ==QUJD"), Err(Base64Error::Symbol(2)));
    assert_eq!(decode(b"Q==="), Err(Base64Error::Symbol(1)));
    assert_eq!(decode(b"QR=="), Err(Base64Error::TrailingBits(1)));
    assert_eq!(decode(b"QUJ="), Err(Base64Error::TrailingBits(2)));
    assert_eq!(
        Base64Error::Symbol(2).to_string(),
        "invalid symbol at offset 2"
    );
}
