//! A small harness in the style of ripgrep's `rgtest!`: a temporary directory and a command for the
//! built binary with a clean environment.

use std::path::PathBuf;
use std::process::{Command, Output};

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write fixture");
        p
    }

    /// `healthcat` with `--data-dir <tmp>/data` and no HEALTHCAT_* variable from the caller.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_healthcat"));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("HEALTHCAT_") {
                c.env_remove(k);
            }
        }
        c.current_dir(self.dir.path())
            .arg("--data-dir")
            .arg(self.path("data"));
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out = self.cmd().args(args).output().expect("run healthcat");
        Run::from(out)
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Self {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The reference material, or `None` with a notice (tests that need it then check nothing).
pub fn reference_dir() -> Option<PathBuf> {
    healthcat_testkit::reference_dir("this end-to-end test")
}

/// The official HealthDCAT-AP R8 NON_PUBLIC shape set with the DCAT-AP 3.0.0 shapes it imports, as
/// the hosted validator loads them (without the code lists and the SPARQL graph guard).
pub fn official_r8_non_public_shapes(root: &std::path::Path) -> Vec<PathBuf> {
    let v = root.join("healthdcat-ap/release-8/validator");
    let d = root.join("dcat-ap-3/3.0.0/html/shacl");
    vec![
        v.join("shapes/non-public-shapes.ttl"),
        v.join("ranges/range.ttl"),
        v.join("controlled-vocabularies/mdr-vocabularies.shape.ttl"),
        v.join("recommended/non-public-shapes_recommended.ttl"),
        d.join("shapes.ttl"),
        d.join("range.ttl"),
        d.join("shapes_recommended.ttl"),
    ]
}
