//! The window on a real X server (issue 17): `spravka --renderer wgpu` and `--renderer glow`
//! under Xvfb with Mesa's software drivers (llvmpipe, lavapipe), each shown by a screenshot that
//! must not be blank; and a renderer that cannot start — wgpu told by `WGPU_BACKEND` to use a
//! backend this machine does not have — ends with the window open on glow, which the settings
//! then keep.
//!
//! Needs the Debian packages xvfb, libgl1-mesa-dri, mesa-vulkan-drivers and imagemagick (`.ci/run`
//! installs them). Without Xvfb or ImageMagick each test prints `SKIPPED: …` and returns.
//! The screenshots are left in the target folder (`window-*.png`) for a look.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One window at a time: two software renderers side by side on two cores only slow both.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn found(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Why the test cannot run here, if it cannot.
fn missing_tools() -> Option<String> {
    let missing: Vec<&str> = ["Xvfb", "import", "convert"]
        .into_iter()
        .filter(|p| !found(p))
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "{} not found (Debian: xvfb, imagemagick; .ci/run installs them)",
            missing.join(", ")
        )
    })
}

/// An Xvfb server on a display of its own, stopped when dropped.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Self {
        let first = 90 + (std::process::id() % 400);
        for n in first..first + 50 {
            if Path::new(&format!("/tmp/.X{n}-lock")).exists()
                || Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
            {
                continue;
            }
            let display = format!(":{n}");
            let mut child = Command::new("Xvfb")
                .args([&display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("Xvfb: {e}"));
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                    return Self { child, display };
                }
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("no X display could be started");
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The number of distinct colours of the screen (1 when nothing is drawn), and its picture.
fn screenshot(display: &str, out: &Path) -> usize {
    let taken = Command::new("import")
        .args(["-display", display, "-window", "root"])
        .arg(out)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !taken {
        return 0;
    }
    let colours = Command::new("convert")
        .arg(out)
        .args(["-format", "%k", "info:"])
        .output()
        .unwrap_or_else(|e| panic!("convert: {e}"));
    String::from_utf8_lossy(&colours.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}

/// The program started under `xvfb`, in a process group of its own (a fallback starts a
/// second process, stopped with it).
struct Spravka {
    child: Child,
}

impl Drop for Spravka {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        std::thread::sleep(Duration::from_millis(300));
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

fn start(xvfb: &Xvfb, home: &Path, args: &[&str], env: &[(&str, &str)]) -> Spravka {
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(env!("CARGO_BIN_EXE_spravka"));
    command
        .arg("--db")
        .arg(home.join("spravka.db"))
        .args(args)
        .env("DISPLAY", &xvfb.display)
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WGPU_BACKEND")
        // The settings and the log go to this test's folder, not the user's.
        .env("XDG_DATA_HOME", home)
        .env("HOME", home)
        .stdout(Stdio::null())
        .stderr(Stdio::from(
            std::fs::File::create(home.join("stderr.txt")).unwrap_or_else(|e| panic!("{e}")),
        ))
        .process_group(0);
    for (key, value) in env {
        command.env(key, value);
    }
    Spravka {
        child: command.spawn().unwrap_or_else(|e| panic!("spravka: {e}")),
    }
}

/// Waits until the screen shows a drawn window; returns the screenshot's path and colours.
fn wait_for_window(
    xvfb: &Xvfb,
    spravka: &mut Spravka,
    name: &str,
    home: &Path,
) -> (PathBuf, usize) {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("window-{name}.png"));
    let deadline = Instant::now() + Duration::from_mins(2);
    let mut colours = 0;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = spravka.child.try_wait() {
            panic!(
                "spravka ended with {status} before its window was drawn; stderr:\n{}",
                read(&home.join("stderr.txt"))
            );
        }
        colours = screenshot(&xvfb.display, &out);
        // The start screen's text, fields and buttons, anti-aliased: hundreds of colours. A
        // black root window alone is one, a window cleared to its background two or three.
        if colours > 50 {
            // One more frame for the layout to settle, then the picture that is kept.
            std::thread::sleep(Duration::from_secs(2));
            colours = screenshot(&xvfb.display, &out);
            return (out, colours);
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    panic!(
        "no window drawn within 120 s ({colours} colours on the screen); stderr:\n{}",
        read(&home.join("stderr.txt"))
    );
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn settings_text(home: &Path) -> String {
    read(&home.join("spravka").join("settings.json"))
}

fn log_text(home: &Path) -> String {
    read(&home.join("spravka").join("spravka.log"))
}

fn opens_with(renderer: &str) {
    if let Some(why) = missing_tools() {
        println!("SKIPPED: the window test with {renderer}: {why}");
        return;
    }
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let xvfb = Xvfb::start();
    let mut spravka = start(&xvfb, home.path(), &["--renderer", renderer], &[]);
    let (shot, colours) = wait_for_window(&xvfb, &mut spravka, renderer, home.path());
    println!("{renderer}: {colours} colours, {}", shot.display());
    assert!(
        colours > 50,
        "{renderer}: a blank screen ({colours} colours)"
    );
    drop(spravka);
    // It opened with the renderer asked for: no fallback was needed or remembered.
    let log = log_text(home.path());
    assert!(!log.contains("could not start"), "{renderer}: {log}");
    assert!(!settings_text(home.path()).contains("renderer"));
}

#[test]
fn the_window_opens_with_wgpu() {
    opens_with("wgpu");
}

#[test]
fn the_window_opens_with_glow() {
    opens_with("glow");
}

#[test]
fn a_renderer_that_cannot_start_gives_way_to_the_other_which_is_remembered() {
    if let Some(why) = missing_tools() {
        println!("SKIPPED: the renderer fallback test: {why}");
        return;
    }
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let xvfb = Xvfb::start();
    // Metal exists only on Apple systems: wgpu finds no adapter here and cannot start.
    let mut spravka = start(
        &xvfb,
        home.path(),
        &["--renderer", "wgpu"],
        &[("WGPU_BACKEND", "metal")],
    );
    let (shot, colours) = wait_for_window(&xvfb, &mut spravka, "fallback-to-glow", home.path());
    println!("fallback: {colours} colours, {}", shot.display());
    // The first process is still there, waiting for the second, whose window is on screen.
    assert!(
        matches!(spravka.child.try_wait(), Ok(None)),
        "the first process waits for the second"
    );
    // The settings are written when the second process draws its first frame.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !settings_text(home.path()).contains("glow") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(spravka);
    let settings = settings_text(home.path());
    assert!(
        settings.contains("\"renderer\": \"glow\""),
        "glow is remembered: {settings}"
    );
    let log = log_text(home.path());
    assert!(log.contains("the wgpu renderer cannot start"), "{log}");
    assert!(
        log.contains("starting again with the glow renderer"),
        "{log}"
    );
    assert!(
        log.contains("the wgpu renderer could not start; the window opened with glow"),
        "{log}"
    );

    // The next start without --renderer goes straight to glow: no second failure in the log.
    let mut again = start(&xvfb, home.path(), &[], &[("WGPU_BACKEND", "metal")]);
    let (shot, colours) = wait_for_window(&xvfb, &mut again, "remembered-glow", home.path());
    println!("remembered: {colours} colours, {}", shot.display());
    drop(again);
    let log = log_text(home.path());
    assert_eq!(
        log.matches("renderer cannot start").count(),
        1,
        "the remembered renderer is used at once: {log}"
    );
}

#[test]
fn a_glow_that_cannot_start_gives_way_to_wgpu() {
    if let Some(why) = missing_tools() {
        println!("SKIPPED: the glow fallback test: {why}");
        return;
    }
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let xvfb = Xvfb::start();
    // Mesa's GLX finds no driver there and offers no framebuffer configuration; wgpu goes
    // through Vulkan (lavapipe), which does not read this variable.
    let mut spravka = start(
        &xvfb,
        home.path(),
        &["--renderer", "glow"],
        &[("LIBGL_DRIVERS_PATH", "/nonexistent")],
    );
    let (shot, colours) = wait_for_window(&xvfb, &mut spravka, "fallback-to-wgpu", home.path());
    println!("fallback to wgpu: {colours} colours, {}", shot.display());
    let deadline = Instant::now() + Duration::from_secs(10);
    while !settings_text(home.path()).contains("wgpu") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(spravka);
    let settings = settings_text(home.path());
    assert!(
        settings.contains("\"renderer\": \"wgpu\""),
        "wgpu is remembered: {settings}"
    );
    let log = log_text(home.path());
    assert!(log.contains("the glow renderer cannot start"), "{log}");
    assert!(
        log.contains("the glow renderer could not start; the window opened with wgpu"),
        "{log}"
    );
}
