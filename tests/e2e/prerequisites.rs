//! `.ci/prerequisites`: it finds libclang in every layout Debian and Ubuntu use (and through
//! `LIBCLANG_PATH`) without reinstalling it, and installs or asks for it only when it is missing.
//! The script looks under `HEALTHCAT_PREREQ_ROOT` instead of `/`, and a fake `apt-get` and
//! `sudo` on the `PATH` record what it would have run.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Outcome {
    code: i32,
    stderr: String,
    apt_calls: String,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.ci/prerequisites")
}

/// Runs the script over a root holding `libs`, as `uid`, with `libclang_path` when given.
fn run(libs: &[&str], uid: u32, libclang_path: Option<&str>) -> Outcome {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    for lib in libs {
        let path = root.join(lib.trim_start_matches('/'));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"").unwrap();
    }
    std::fs::create_dir_all(&root).unwrap();
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let calls = tmp.path().join("apt-calls");
    for tool in ["apt-get", "sudo"] {
        let fake = bin.join(tool);
        std::fs::write(
            &fake,
            format!(
                "#!/bin/sh\necho \"{tool} $*\" >> {}\nexit 0\n",
                calls.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.arg(script())
        .env("HEALTHCAT_PREREQ_ROOT", &root)
        .env("HEALTHCAT_PREREQ_UID", uid.to_string())
        .env("PATH", path)
        .env_remove("LIBCLANG_PATH");
    if let Some(p) = libclang_path {
        cmd.env("LIBCLANG_PATH", root.join(p.trim_start_matches('/')));
    }
    let out = cmd.output().unwrap();
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        apt_calls: std::fs::read_to_string(&calls).unwrap_or_default(),
    }
}

#[test]
fn libclang_is_found_in_every_layout_and_not_reinstalled() {
    for layout in [
        "/usr/lib/llvm-14/lib/libclang.so.1",
        "/usr/lib/llvm-19/lib/libclang-19.so.19",
        "/usr/lib/x86_64-linux-gnu/libclang-14.so.1",
        "/usr/lib/aarch64-linux-gnu/libclang.so.1",
        "/usr/lib/libclang.so",
        "/usr/lib64/libclang.so",
        "/usr/local/lib/libclang.so",
    ] {
        // As root and as a user without sudo: nothing to do, nothing said.
        for uid in [0, 1000] {
            let out = run(&[layout], uid, None);
            assert_eq!(out.code, 0, "{layout} as {uid}: {}", out.stderr);
            assert_eq!(out.apt_calls, "", "{layout} as {uid}: nothing to install");
            assert!(
                !out.stderr.contains("apt-get"),
                "{layout} as {uid}: {}",
                out.stderr
            );
        }
    }
    // LIBCLANG_PATH naming a directory or the file.
    let out = run(
        &["/opt/llvm/lib/libclang.so.18"],
        1000,
        Some("/opt/llvm/lib"),
    );
    assert_eq!(
        (out.code, out.apt_calls.as_str()),
        (0, ""),
        "{}",
        out.stderr
    );
    let out = run(
        &["/opt/llvm/lib/libclang.so.18"],
        1000,
        Some("/opt/llvm/lib/libclang.so.18"),
    );
    assert_eq!(
        (out.code, out.apt_calls.as_str()),
        (0, ""),
        "{}",
        out.stderr
    );
}

#[test]
fn missing_libclang_is_installed_as_root_and_asked_for_otherwise() {
    // libclang-cpp alone does not count: bindgen cannot use it.
    let libs = ["/usr/lib/llvm-14/lib/libclang-cpp.so.14"];
    let out = run(&libs, 0, None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.apt_calls
            .contains("apt-get install -y -qq libclang-dev"),
        "{}",
        out.apt_calls
    );
    // A user (the fake sudo answers, so it is used).
    let out = run(&libs, 1000, None);
    assert!(
        out.apt_calls.contains("sudo apt-get install"),
        "{}",
        out.apt_calls
    );
}
