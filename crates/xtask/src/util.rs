//! What every task shares: the failure type, running commands, paths, and the step log
//! with its timed summary.

use std::fmt::Write as _;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A failed step: what went wrong and, when known, the command or action that fixes it.
#[derive(Debug)]
pub struct Failure {
    /// What failed, e.g. "`cargo clippy` found problems".
    pub what: String,
    /// How to fix it, e.g. "install Node.js 20 or newer".
    pub fix: Option<String>,
}

impl Failure {
    /// A failure with no known fix.
    pub fn new(what: impl Into<String>) -> Self {
        Failure {
            what: what.into(),
            fix: None,
        }
    }

    /// Adds how to fix it.
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

/// The result of a task or step.
pub type Result<T = ()> = std::result::Result<T, Failure>;

/// Prints the `==> ` line that starts a step (or reports a check that needed no work).
pub fn say(line: impl std::fmt::Display) {
    println!("==> {line}");
}

/// The repository root: xtask lives in `crates/xtask`, so two levels up from its manifest.
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .expect("crates/xtask sits two levels below the repository root")
        .to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` when set, else `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

/// The `cargo` that launched xtask (cargo sets `$CARGO` for `cargo run`), so nested builds use
/// the same toolchain; plain `cargo` when xtask is run some other way.
pub fn cargo() -> Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(program);
    command.current_dir(root());
    command
}

/// `$CARGO_HOME/bin`, where `cargo install` puts binaries (`~/.cargo/bin` by default).
pub fn cargo_bin_dir() -> Option<PathBuf> {
    let home = match std::env::var_os("CARGO_HOME") {
        Some(home) if !home.is_empty() => PathBuf::from(home),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".cargo"),
    };
    Some(home.join("bin"))
}

/// Prepends `$CARGO_HOME/bin` to this process's `PATH` when it is missing, so children
/// inherit it. Call before spawning any thread: the environment is process-global.
pub fn ensure_cargo_bin_on_path() {
    let Some(bin) = cargo_bin_dir() else { return };
    let path = std::env::var_os("PATH").unwrap_or_default();
    if std::env::split_paths(&path).any(|dir| dir == bin) {
        return;
    }
    let dirs = std::iter::once(bin).chain(std::env::split_paths(&path));
    if let Ok(joined) = std::env::join_paths(dirs) {
        std::env::set_var("PATH", joined);
    }
}

/// The first executable called `program` on `PATH`, like the shell's `command -v`.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// The command line as the user would type it in the repository root, for messages.
pub fn display(command: &Command) -> String {
    let mut line = command.get_program().to_string_lossy().into_owned();
    // `$CARGO` is an absolute path into the toolchain; the user knows it as `cargo`.
    if Some(command.get_program()) == std::env::var_os("CARGO").as_deref() {
        line = "cargo".to_string();
    }
    let root = root();
    let shorten = |arg: &std::ffi::OsStr| {
        let path = Path::new(arg);
        match path.strip_prefix(&root) {
            Ok(inside) if path.is_absolute() => inside.to_string_lossy().into_owned(),
            _ => arg.to_string_lossy().into_owned(),
        }
    };
    line = shorten(line.as_ref());
    for arg in command.get_args() {
        let arg = shorten(arg);
        if arg.is_empty() || arg.contains([' ', '"', '\'']) {
            let _ = write!(line, " '{arg}'");
        } else {
            let _ = write!(line, " {arg}");
        }
    }
    line
}

/// Runs `command` with the terminal as its stdio; a spawn error or non-zero exit becomes
/// a [`Failure`] naming the command, with `fix` as the advice.
pub fn exec(command: &mut Command, fix: &str) -> Result {
    let line = display(command);
    let status = command
        .status()
        .map_err(|error| spawn_failure(&line, &error))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::new(format!("`{line}` failed ({status})")).fix(fix))
    }
}

/// Runs `command` quietly and returns its stdout when it succeeds; `None` when the program
/// is missing or fails. For probes such as `wasm-pack --version`.
pub fn probe(command: &mut Command) -> Option<String> {
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The failure for a command that could not start, naming the missing program plainly.
pub fn spawn_failure(line: &str, error: &std::io::Error) -> Failure {
    let program = line.split(' ').next().unwrap_or(line);
    if error.kind() == ErrorKind::NotFound {
        Failure::new(format!(
            "`{program}` was not found on PATH (needed for `{line}`)"
        ))
    } else {
        Failure::new(format!("could not start `{line}`: {error}"))
    }
}

/// How a step ended, for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The step ran and passed.
    Passed,
    /// The step did not apply yet; the reason says why.
    Skipped(String),
}

/// One line of the summary.
struct Record {
    name: String,
    outcome: std::result::Result<Outcome, ()>,
    took: Duration,
}

/// Runs named steps in order, times them, and prints a summary at the end.
#[derive(Default)]
pub struct Steps {
    records: Vec<Record>,
}

impl Steps {
    /// Runs `step` under `name`, printing nothing itself: each step prints its own `==> `
    /// line, so a check that finds everything in place can say so in that one line.
    pub fn run(&mut self, name: &str, step: impl FnOnce() -> Result<Outcome>) -> Result {
        let start = Instant::now();
        let result = step();
        let took = start.elapsed();
        let outcome = result.as_ref().map(Clone::clone).map_err(|_| ());
        if let Ok(Outcome::Skipped(reason)) = &outcome {
            say(format!("{name}: skipped, {reason}"));
        }
        self.records.push(Record {
            name: name.to_string(),
            outcome,
            took,
        });
        result.map(drop)
    }

    /// The summary table: one line per step with its outcome and time.
    pub fn summary(&self) -> String {
        let mut out = String::from("\nsummary:\n");
        for record in &self.records {
            let (status, note) = match &record.outcome {
                Ok(Outcome::Passed) => ("ok", String::new()),
                Ok(Outcome::Skipped(reason)) => ("skipped", format!(" ({reason})")),
                Err(()) => ("FAILED", String::new()),
            };
            let _ = writeln!(
                out,
                "  {status:<8}{:>8}  {}{note}",
                format_duration(record.took),
                record.name
            );
        }
        let total: Duration = self.records.iter().map(|record| record.took).sum();
        let _ = writeln!(out, "  {:<8}{:>8}", "total", format_duration(total));
        out
    }
}

/// `0.4s`, `12.3s`, `2m05s`: short enough for a summary column.
pub fn format_duration(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds < 60.0 {
        format!("{seconds:.1}s")
    } else {
        let whole = duration.as_secs();
        format!("{}m{:02}s", whole / 60, whole % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_holds_the_workspace_manifest() {
        assert!(root().join("Cargo.toml").is_file());
        assert!(root().join("crates/xtask/Cargo.toml").is_file());
    }

    #[test]
    fn durations_fit_a_column() {
        assert_eq!(format_duration(Duration::from_millis(420)), "0.4s");
        assert_eq!(format_duration(Duration::from_secs(125)), "2m05s");
    }

    #[test]
    fn summary_lists_every_step_in_order() {
        let mut steps = Steps::default();
        steps.run("first", || Ok(Outcome::Passed)).unwrap();
        steps
            .run("second", || Ok(Outcome::Skipped("not yet".into())))
            .unwrap();
        assert!(steps.run("third", || Err(Failure::new("broke"))).is_err());
        let summary = steps.summary();
        let first = summary.find("ok").unwrap();
        let second = summary.find("skipped").unwrap();
        let third = summary.find("FAILED").unwrap();
        assert!(first < second && second < third, "{summary}");
        assert!(summary.contains("second (not yet)"), "{summary}");
    }

    #[test]
    fn displayed_commands_quote_arguments_with_spaces() {
        let mut command = Command::new("node");
        command.args(["--test", "a b"]);
        assert_eq!(display(&command), "node --test 'a b'");
    }

    #[test]
    fn displayed_commands_show_paths_from_the_root() {
        let mut command = Command::new(root().join("target/release/scour"));
        command.arg("build").arg(root().join("seeds"));
        assert_eq!(display(&command), "target/release/scour build seeds");
    }

    #[test]
    fn missing_programs_are_named() {
        let failure = exec(
            &mut Command::new("scour-xtask-no-such-program"),
            "install it",
        )
        .expect_err("a missing program cannot run");
        assert!(
            failure.what.contains("not found on PATH"),
            "{}",
            failure.what
        );
        assert_eq!(
            probe(&mut Command::new("scour-xtask-no-such-program")),
            None
        );
    }
}
