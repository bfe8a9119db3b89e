//! A throwaway PostgreSQL server for the tests that run on both engines: `initdb` and `pg_ctl`
//! from the Debian package `postgresql` into a temporary folder, on a Unix socket only (no TCP
//! port), as the `postgres` OS user when the tests run as root (the server refuses root). One
//! server per test binary, started by the first test that asks; each test gets a database of its
//! own. A watchdog stops the server and removes its folder when the test process ends.
//!
//! Where PostgreSQL is not installed, [`database_url`] says so loudly on stderr and returns
//! `None`: the caller skips, never passes silently. `.ci/run` installs the package.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Server {
    dir: PathBuf,
    port: u16,
    /// The TLS server's TCP port on 127.0.0.1 and the CA that signed its certificate.
    pub tls: Option<(u16, PathBuf)>,
}

const PORT: u16 = 54329;

/// The folder holding `initdb`, `pg_ctl` and `postgres`, if PostgreSQL is installed.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").is_file() && p.join("pg_ctl").is_file())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `program args…`, as the `postgres` OS user when we are root.
fn as_server_user(program: &Path, root: bool) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

/// A certificate authority and a certificate of `localhost`/127.0.0.1 signed by it, in `dir`,
/// made with the `openssl` command; the CA's path.
fn certificates(dir: &Path, root: bool) -> Result<PathBuf, String> {
    let openssl = |args: &[&str]| -> Result<(), String> {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("openssl is not installed ({e})"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=spravka test CA",
    ])?;
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ])?;
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
    )
    .map_err(|e| e.to_string())?;
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ])?;
    // The server refuses a key others can read.
    let chmod = Command::new("chmod")
        .args(["600", "server.key"])
        .current_dir(dir)
        .status()
        .map_err(|e| e.to_string())?;
    if root {
        let _ = Command::new("chown")
            .args(["postgres", "server.key", "server.crt"])
            .current_dir(dir)
            .status();
    }
    if !chmod.success() {
        return Err("chmod server.key failed".into());
    }
    Ok(dir.join("ca.pem"))
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

fn start() -> Result<Server, String> {
    start_with(false)
}

fn start_with(tls: bool) -> Result<Server, String> {
    let bin =
        bin_dir().ok_or("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)")?;
    let root = is_root();
    let dir = std::env::temp_dir().join(format!(
        "spravka-pg-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if root {
        let status = Command::new("chown")
            .arg("postgres")
            .arg(&dir)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("cannot give the server's folder to the postgres user".into());
        }
    }
    let data = dir.join("data");
    let out = as_server_user(&bin.join("initdb"), root)
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            "spravka",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let (options, tls) = if tls {
        let ca = certificates(&dir, root)?;
        let port = free_port()?;
        (
            format!(
                "-k {dir} -c listen_addresses=127.0.0.1 -p {port} -c fsync=off -c ssl=on -c ssl_cert_file={dir}/server.crt -c ssl_key_file={dir}/server.key",
                dir = dir.display()
            ),
            Some((port, ca)),
        )
    } else {
        (
            format!(
                "-k {} -c listen_addresses='' -p {PORT} -c fsync=off -c synchronous_commit=off -c max_connections=100",
                dir.display()
            ),
            None,
        )
    };
    let out = as_server_user(&bin.join("pg_ctl"), root)
        .arg("-D")
        .arg(&data)
        .args(["-o", &options, "-l"])
        .arg(dir.join("log"))
        .args(["-w", "start"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "pg_ctl start failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    // Stop the server and remove its folder when this test process is gone.
    let stop = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {runuser}'{pg_ctl}' -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        runuser = if root { "runuser -u postgres -- " } else { "" },
        pg_ctl = bin.join("pg_ctl").display(),
        data = data.display(),
        dir = dir.display(),
    );
    Command::new("sh")
        .args(["-c", &stop])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let port = tls.as_ref().map_or(PORT, |(port, _)| *port);
    Ok(Server { dir, port, tls })
}

impl Server {
    /// The libpq-style URL of database `name` on this server.
    pub fn url(&self, name: &str) -> String {
        format!(
            "postgresql:///{name}?host={}&port={}&user=spravka",
            self.dir.display(),
            self.port
        )
    }

    /// A new empty database; its URL.
    pub fn new_database(&self) -> String {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!("t{}", NEXT.fetch_add(1, Ordering::SeqCst));
        let mut admin = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect to the test server: {e}"));
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("create database {name}: {e}"));
        self.url(&name)
    }
}

/// The test binary's server, started once; `None` (said on stderr) where PostgreSQL is missing
/// or cannot start.
pub fn server() -> Option<&'static Server> {
    static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
    match SERVER.get_or_init(start) {
        Ok(server) => Some(server),
        Err(why) => {
            eprintln!(
                "\n*** SKIPPED: this test runs on PostgreSQL and {why}. \
                 Install the Debian package `postgresql` (.ci/run does). ***\n"
            );
            None
        }
    }
}

/// A second server of the test binary that speaks TLS on 127.0.0.1 with a certificate of its
/// own test CA; `None` (said on stderr) where PostgreSQL or openssl is missing.
pub fn tls_server() -> Option<&'static Server> {
    static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
    match SERVER.get_or_init(|| start_with(true)) {
        Ok(server) => Some(server),
        Err(why) => {
            eprintln!(
                "\n*** SKIPPED: this test needs a PostgreSQL server with TLS and {why}. \
                 Install the Debian packages `postgresql` and `openssl` (.ci/run does). ***\n"
            );
            None
        }
    }
}

/// A new empty database on the test server, or `None` (said loudly) to skip.
pub fn database_url() -> Option<String> {
    server().map(Server::new_database)
}
