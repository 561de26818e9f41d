//! Per-client token buckets for the server's rate limit.
//!
//! It owns the bucket arithmetic (integers only: tokens are counted in nano-tokens so refill
//! needs no floats) and the bounded table of clients. It must not read the clock itself:
//! callers pass `now`, which keeps the arithmetic testable.
//!
//! Clients are keyed by IPv4 address, or by IPv6 /64 prefix because one host usually owns a
//! whole /64. The table holds at most [`MAX_TRACKED_CLIENTS`]; when full, idle (refilled)
//! entries are dropped, and if none can be dropped new clients share one overflow bucket, so a
//! flood of fresh addresses cannot grow memory or reset anyone's bucket.

use crate::serve::config::RateLimitConfig;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Upper bound on the number of client buckets kept in memory.
pub const MAX_TRACKED_CLIENTS: usize = 65_536;
/// One token, in nano-tokens.
const TOKEN: u128 = 1_000_000_000;

/// Who a bucket belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ClientKey {
    V4(u32),
    V6Prefix(u64),
    Overflow,
}

fn client_key(ip: IpAddr) -> ClientKey {
    match ip {
        IpAddr::V4(v4) => ClientKey::V4(u32::from(v4)),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => ClientKey::V4(u32::from(v4)),
            // The upper 64 bits: the /64 prefix.
            None => ClientKey::V6Prefix((u128::from(v6) >> 64) as u64),
        },
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    nano_tokens: u128,
    refilled_at: Instant,
}

/// The rate limiter shared by all connections.
#[derive(Debug)]
pub struct RateLimiter {
    capacity: u128,
    refill_per_second: u128,
    buckets: Mutex<HashMap<ClientKey, Bucket>>,
}

impl RateLimiter {
    /// A limiter for the given per-second rate and burst.
    pub fn new(config: RateLimitConfig) -> RateLimiter {
        RateLimiter {
            capacity: u128::from(config.burst.max(1)) * TOKEN,
            refill_per_second: u128::from(config.per_second.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn refill(&self, bucket: &mut Bucket, now: Instant) {
        let elapsed = now.saturating_duration_since(bucket.refilled_at);
        // nano-tokens gained = elapsed seconds * rate * 1e9 = elapsed nanos * rate.
        let gained = elapsed.as_nanos().saturating_mul(self.refill_per_second);
        bucket.nano_tokens = bucket.nano_tokens.saturating_add(gained).min(self.capacity);
        bucket.refilled_at = now;
    }

    /// Takes one token for `ip`; `Err(wait)` says how long until a token is available.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut buckets = match self.buckets.lock() {
            Ok(guard) => guard,
            // A panic while holding the lock cannot leave a bucket half-written (plain
            // integer stores), so the table is still usable.
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut key = client_key(ip);
        if !buckets.contains_key(&key) && buckets.len() >= MAX_TRACKED_CLIENTS {
            // Drop clients whose bucket has refilled: they carry no state worth keeping.
            let capacity = self.capacity;
            let rate = self.refill_per_second;
            buckets.retain(|_, bucket| {
                let idle = now.saturating_duration_since(bucket.refilled_at).as_nanos();
                bucket.nano_tokens.saturating_add(idle.saturating_mul(rate)) < capacity
            });
            if buckets.len() >= MAX_TRACKED_CLIENTS {
                key = ClientKey::Overflow;
            }
        }
        let capacity = self.capacity;
        let bucket = buckets.entry(key).or_insert(Bucket {
            nano_tokens: capacity,
            refilled_at: now,
        });
        self.refill(bucket, now);
        if bucket.nano_tokens >= TOKEN {
            bucket.nano_tokens -= TOKEN;
            Ok(())
        } else {
            let missing = TOKEN - bucket.nano_tokens;
            // nanos to wait = missing nano-tokens / rate, rounded up.
            let wait_nanos = missing.div_ceil(self.refill_per_second);
            Err(Duration::from_nanos(
                u64::try_from(wait_nanos).unwrap_or(u64::MAX),
            ))
        }
    }

    /// Number of client buckets currently held (for tests and diagnostics).
    pub fn tracked_clients(&self) -> usize {
        match self.buckets.lock() {
            Ok(guard) => guard.len(),
            Err(poisoned) => poisoned.into_inner().len(),
        }
    }
}

/// `Retry-After` seconds for a wait: rounded up, at least 1.
pub fn retry_after_seconds(wait: Duration) -> u64 {
    let whole = wait.as_secs();
    let seconds = if wait.subsec_nanos() > 0 {
        whole.saturating_add(1)
    } else {
        whole
    };
    seconds.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn limiter(per_second: u32, burst: u32) -> RateLimiter {
        RateLimiter::new(RateLimitConfig { per_second, burst })
    }

    #[test]
    fn burst_then_refill() {
        let rl = limiter(2, 3);
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(rl.check(ip, t0), Ok(()));
        }
        // Empty: one token takes 1/2 s at 2 per second.
        assert_eq!(rl.check(ip, t0), Err(Duration::from_millis(500)));
        assert_eq!(retry_after_seconds(Duration::from_millis(500)), 1);
        assert_eq!(
            rl.check(ip, t0 + Duration::from_millis(499)),
            Err(Duration::from_millis(1))
        );
        assert_eq!(rl.check(ip, t0 + Duration::from_millis(500)), Ok(()));
        // Another client is unaffected.
        assert_eq!(rl.check(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)), t0), Ok(()));
    }

    #[test]
    fn ipv6_shares_slash_64_and_mapped_v4_is_v4() {
        let rl = limiter(1, 1);
        let t0 = Instant::now();
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(rl.check(a, t0), Ok(()));
        assert!(rl.check(b, t0).is_err());
        let v4 = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
        let mapped = IpAddr::V6(Ipv4Addr::new(192, 0, 2, 1).to_ipv6_mapped());
        assert_eq!(rl.check(v4, t0), Ok(()));
        assert!(rl.check(mapped, t0).is_err());
        assert_eq!(rl.tracked_clients(), 2);
    }

    #[test]
    fn table_is_bounded() {
        let rl = limiter(1, 2);
        let t0 = Instant::now();
        for n in 0..(MAX_TRACKED_CLIENTS as u32 + 10) {
            let _ = rl.check(IpAddr::V4(Ipv4Addr::from(n)), t0);
        }
        assert!(rl.tracked_clients() <= MAX_TRACKED_CLIENTS + 1);
        // Later, every bucket has refilled and is dropped to make room.
        let later = t0 + Duration::from_secs(5);
        assert_eq!(
            rl.check(IpAddr::V4(Ipv4Addr::from(u32::MAX)), later),
            Ok(())
        );
        assert_eq!(rl.tracked_clients(), 1);
    }
}
