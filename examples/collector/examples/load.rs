//! Load benchmark (not a test): the real collector in this process on a loopback port, and a
//! generator replaying realistic SDK batches (20 events: page views, Segment e-commerce events,
//! friction with props; fresh ids) over keep-alive HTTP/1.1 connections.
//!
//! ```text
//! cargo run --release -p vitrina-collector --example load -- [--seconds 10] [--connections 16]
//!     [--postgres 'host=… port=… user=… dbname=…']      (default: a fresh SQLite file)
//! ```
//!
//! 1. Throughput: every connection sends batches back to back for `--seconds`; events/s stored.
//! 2. Latency at half that rate: batches paced evenly across the connections for `--seconds`;
//!    p50 / p99 / max of each batch's round trip.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const EVENTS_PER_BATCH: usize = 20;

fn batch(conn: usize, seq: u64) -> String {
    let sid = format!("sess{conn:04}{:08}", seq / 10);
    let mut events = Vec::with_capacity(EVENTS_PER_BATCH);
    for i in 0..EVENTS_PER_BATCH {
        let id = format!("ld{conn:04}{seq:010}{i:02}");
        let e = match i % 5 {
            0 => format!(
                r#"{{"id":"{id}","type":"page","sid":"{sid}","path":"/product.html","offset_ms":{}}}"#,
                4000 - i * 100
            ),
            1 => format!(
                r#"{{"id":"{id}","type":"track","name":"Product Viewed","sid":"{sid}","path":"/product.html","offset_ms":{},"props":{{"product_id":"zap-{i}","category":"sneakers","brand":"Kaleo","price":79.95,"currency":"EUR"}}}}"#,
                3900 - i * 100
            ),
            2 => format!(
                r#"{{"id":"{id}","type":"friction","name":"vital","sid":"{sid}","path":"/product.html","offset_ms":{},"props":{{"name":"LCP","value":2140,"rating":"good"}}}}"#,
                3800 - i * 100
            ),
            3 => format!(
                r#"{{"id":"{id}","type":"friction","name":"dead_click","sid":"{sid}","path":"/product.html","offset_ms":{},"props":{{"selector":"main > div.pdp > button.size-guide","x":412,"y":630}}}}"#,
                3700 - i * 100
            ),
            _ => format!(
                r#"{{"id":"{id}","type":"track","name":"Product Added","sid":"{sid}","path":"/product.html","offset_ms":{},"props":{{"product_id":"zap-{i}","quantity":1,"price":79.95}}}}"#,
                3600 - i * 100
            ),
        };
        events.push(e);
    }
    format!(
        r#"{{"v":1,"sdk":"vitrina/0.1.0","site":"demo","sent_at":{},"events":[{}]}}"#,
        1_764_000_000_000u64 + seq,
        events.join(",")
    )
}

/// One keep-alive connection; `post` sends a batch and waits for a 200.
struct Conn(TcpStream, Vec<u8>);

impl Conn {
    async fn open(addr: &str) -> Conn {
        let s = TcpStream::connect(addr).await.expect("connect");
        s.set_nodelay(true).unwrap();
        Conn(s, Vec::with_capacity(4096))
    }

    async fn post(&mut self, body: &str) {
        let req = format!(
            "POST /v1/batch HTTP/1.1\r\nHost: bench\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.0.write_all(req.as_bytes()).await.expect("write");
        self.1.clear();
        let mut buf = [0u8; 4096];
        loop {
            let n = self.0.read(&mut buf).await.expect("read");
            assert!(n > 0, "the collector closed the connection");
            self.1.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&self.1);
            if let Some(end) = text.find("\r\n\r\n") {
                let len = text[..end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap())
                    })
                    .unwrap_or(0);
                if self.1.len() >= end + 4 + len {
                    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
                    return;
                }
            }
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (mut seconds, mut connections, mut postgres) = (10u64, 16usize, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seconds" => seconds = args.next().unwrap().parse().unwrap(),
            "--connections" => connections = args.next().unwrap().parse().unwrap(),
            "--postgres" => postgres = args.next(),
            other => panic!("{other}: unknown argument"),
        }
    }
    let dir = std::env::temp_dir().join(format!("vitrina-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut opts = vitrina_collector::Options::with_db(dir.join("load.db"));
    opts.rate_limit = 1e12;
    opts.postgres = postgres.clone();
    if let Some(pg) = &postgres {
        // a clean table set
        let (c, conn) = tokio_postgres::connect(pg, tokio_postgres::NoTls).await.expect("postgres");
        tokio::spawn(conn);
        c.batch_execute("DROP TABLE IF EXISTS events, reviews, survey_steps, client_drops").await.unwrap();
    }
    let app = vitrina_collector::app(&opts).await.expect("collector");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    println!(
        "backend: {}; {connections} connections; {EVENTS_PER_BATCH} events per batch ({} bytes); {} cores",
        if postgres.is_some() { "PostgreSQL" } else { "SQLite (WAL)" },
        batch(0, 0).len(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );

    // 1. throughput
    let sent = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let (addr, sent) = (addr.clone(), sent.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(&addr).await;
            let mut seq = 0;
            while Instant::now() < until {
                conn.post(&batch(c, seq)).await;
                seq += 1;
                sent.fetch_add(EVENTS_PER_BATCH as u64, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let rate = sent.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64();
    println!(
        "throughput: {:.0} events/s stored ({} events in {:.1} s)",
        rate,
        sent.load(Ordering::Relaxed),
        start.elapsed().as_secs_f64()
    );

    // 2. latency at half that rate
    let batches_per_s = rate / 2.0 / EVENTS_PER_BATCH as f64;
    let per_conn_gap = Duration::from_secs_f64(connections as f64 / batches_per_s);
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..connections {
        let addr = addr.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(&addr).await;
            let mut lat = Vec::new();
            let mut next = Instant::now() + per_conn_gap.mul_f64(c as f64 / connections as f64);
            let mut seq = 1_000_000_000;
            while next < until {
                tokio::time::sleep_until(next.into()).await;
                let t0 = Instant::now();
                conn.post(&batch(c, seq)).await;
                lat.push(t0.elapsed().as_secs_f64() * 1000.0);
                seq += 1;
                next += per_conn_gap;
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    lat.sort_by(|a, b| a.total_cmp(b));
    println!(
        "latency at {:.0} events/s ({} batches): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        rate / 2.0,
        lat.len(),
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        lat.last().copied().unwrap_or(0.0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
