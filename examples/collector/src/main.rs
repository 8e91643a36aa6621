//! `vitrina-collector [--listen ADDR] [--db PATH | sqlite:PATH | postgres://…] [--www DIR] [--pkg DIR] [--allow-origin ORIGIN]...`

use std::path::PathBuf;

use vitrina_collector::{app, Options};

const USAGE: &str = "usage: vitrina-collector [--listen 127.0.0.1:8080] [--db ./vitrina.db | sqlite:PATH | postgres://USER@HOST/DB] [--www DIR] [--pkg DIR] [--allow-origin ORIGIN]... [--auto-approve] [--admin-token TOKEN] [--surveys FILE] [--faults] [--site KEY=ORIGIN]... [--rate-limit EVENTS_PER_S]";

fn parse_args() -> Result<(String, Options), String> {
    let mut listen = "127.0.0.1:8080".to_string();
    let mut opts = Options::with_db(PathBuf::from("vitrina.db"));
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name}: expected a value\n{USAGE}"));
        match a.as_str() {
            "--listen" => listen = value("--listen")?,
            "--db" => {
                let db = value("--db")?;
                if db.starts_with("postgres://") || db.starts_with("postgresql://") {
                    opts.postgres = Some(db);
                } else {
                    opts.db = PathBuf::from(db.strip_prefix("sqlite:").unwrap_or(&db));
                }
            }
            "--www" => opts.www = Some(PathBuf::from(value("--www")?)),
            "--pkg" => opts.pkg = Some(PathBuf::from(value("--pkg")?)),
            "--allow-origin" => opts.allow_origins.push(value("--allow-origin")?),
            "--faults" => opts.faults = true,
            "--site" => {
                let v = value("--site")?;
                let (key, origin) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--site {v}: expected KEY=ORIGIN (demo=https://shop.example)\n{USAGE}"))?;
                if key.is_empty()
                    || key.len() > 64
                    || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                {
                    return Err(format!("--site {v}: expected a key of 1 to 64 letters, digits, '-' or '_'"));
                }
                if !(origin.starts_with("http://") || origin.starts_with("https://")) || origin.ends_with('/') {
                    return Err(format!("--site {v}: expected an origin like https://shop.example (no path)"));
                }
                opts.sites.push((key.to_string(), origin.to_string()));
            }
            "--rate-limit" => {
                let v = value("--rate-limit")?;
                opts.rate_limit = v
                    .parse()
                    .ok()
                    .filter(|r: &f64| *r > 0.0)
                    .ok_or_else(|| format!("--rate-limit {v}: expected events per second, a number above 0"))?;
            }
            "--auto-approve" => opts.auto_approve = true,
            "--admin-token" => opts.admin_token = Some(value("--admin-token")?),
            "--surveys" => {
                let path = value("--surveys")?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("--surveys {path}: {e}"))?;
                vitrina_collector::check_surveys(&text).map_err(|e| format!("--surveys {path}: {e}"))?;
                opts.surveys_json = Some(text);
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("{other}: unknown argument\n{USAGE}")),
        }
    }
    Ok((listen, opts))
}

#[tokio::main]
async fn main() {
    let (listen, opts) = match parse_args() {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let app = match app(&opts).await {
        Ok(a) => a,
        Err(e) => {
            let db = opts.postgres.clone().unwrap_or_else(|| opts.db.display().to_string());
            eprintln!("cannot open database {db}: {e}");
            std::process::exit(1);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {listen}: {e}");
            std::process::exit(1);
        }
    };
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or(listen);
    println!("vitrina collector listening on http://{addr} (db: {})", opts.db.display());
    let shutdown = async {
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
