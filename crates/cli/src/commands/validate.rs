//! `healthcat validate`

use super::Ctx;
use crate::cli::{ReportFormat, ValidateArgs};
use anyhow::{Context, Result};
use healthcat_profiles::{Options, Profile};
use healthcat_shacl::{Graph, Shapes, ShapesOptions, ValidationResult};
use healthcat_store::{Format, ParseOptions, parse_slice};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// One file's report in `--format json`, but its results (written by [`write_json_file`]).
#[derive(serde::Serialize)]
struct FileReport {
    file: String,
    conforms: bool,
    violations: usize,
    warnings: usize,
}

/// Writes one file's report as an element of the `--format json` array — the text
/// `serde_json::to_writer_pretty` gives for `{file, conforms, violations, warnings, results}` —
/// with the results explained and serialised on every core, part by part, never all held as
/// values: each result is pretty-printed alone and its lines indented to its depth (JSON strings
/// hold no raw line breaks, so the text is the same).
fn write_json_file(
    out: &mut impl Write,
    first: bool,
    head: &FileReport,
    profile: &Profile,
    report: &healthcat_shacl::ValidationReport,
    lang: &str,
) -> std::io::Result<()> {
    const DEPTH: &[u8] = b"      ";
    // The object's own fields, as pretty-printed, then the results.
    let mut fields = serde_json::to_vec_pretty(head)?;
    fields.truncate(fields.len().saturating_sub(2)); // "\n}"
    out.write_all(if first { b"[\n" } else { b",\n" })?;
    for (j, line) in fields.split(|b| *b == b'\n').enumerate() {
        if j > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(b"  ")?;
        out.write_all(line)?;
    }
    out.write_all(b",\n    \"results\": [")?;
    let mut any = false;
    let mut failed = None;
    profile.summaries_in_parts(
        report,
        lang,
        |summaries| {
            let mut buf = Vec::with_capacity(summaries.len() * 600);
            let mut one = Vec::with_capacity(1024);
            for s in &summaries {
                one.clear();
                // Serialising a plain struct to memory does not fail.
                let _ = serde_json::to_writer_pretty(&mut one, s);
                buf.extend_from_slice(b",\n");
                for (j, line) in one.split(|b| *b == b'\n').enumerate() {
                    if j > 0 {
                        buf.push(b'\n');
                    }
                    buf.extend_from_slice(DEPTH);
                    buf.extend_from_slice(line);
                }
            }
            buf
        },
        |buf| {
            // Each part starts with ",\n"; the first of all without the comma.
            let text = if any {
                &buf[..]
            } else {
                buf.get(1..).unwrap_or_default()
            };
            any |= !buf.is_empty();
            if failed.is_none()
                && let Err(e) = out.write_all(text)
            {
                failed = Some(e);
            }
        },
    );
    if let Some(e) = failed {
        return Err(e);
    }
    out.write_all(if any { b"\n    ]\n  }" } else { b"]\n  }" })
}

/// Any failure of `validate` is exit code 2 (the contract: 1 means violations).
struct Failure(anyhow::Error);

pub fn run(ctx: &Ctx, args: ValidateArgs) -> Result<ExitCode> {
    // The command line, else the configured profile or shapes, else HealthDCAT-AP R8.
    let v = &ctx.config.validation;
    // The profile is compiled while the first file is read and parsed: both take tens of
    // milliseconds, and the parser leaves a core idle while it reads the file and merges pieces.
    let limits = ctx.config.input.limits();
    let (validator, first) = std::thread::scope(|scope| {
        let first = args
            .files
            .first()
            .map(|f| scope.spawn(move || read(f, limits)));
        let validator = if args.profile.is_some() || !args.shapes.is_empty() {
            load_validator(
                args.profile.as_deref(),
                &args.shapes,
                args.pathless_property_as_node,
            )
        } else if v.profile.is_some() || !v.shapes.is_empty() {
            load_validator(v.profile.as_deref(), &v.shapes, v.pathless_property_as_node)
        } else {
            load_validator(Some("healthdcat-ap-r8"), &[], false)
        };
        let first = first.map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        (validator, first)
    });
    let validator = match validator {
        Ok(Some(p)) => p,
        Ok(None) => unreachable!("a profile is always chosen"),
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    if args.level.is_some() && validator.level_names().is_empty() {
        eprintln!(
            "error: --level needs a profile with access levels (healthdcat-ap-r8); {} has none",
            validator.name
        );
        return Ok(ExitCode::from(2));
    }
    match run_inner(&args, &validator, &ctx.lang, first, limits) {
        Ok(code) => Ok(code),
        Err(Failure(e)) => {
            eprintln!("error: {e:#}");
            Ok(ExitCode::from(2))
        }
    }
}

/// The instance's profile: the configured one (`[validation]`), else the bundled HealthDCAT-AP.
pub fn instance_profile(ctx: &super::Ctx) -> Result<Profile> {
    let v = &ctx.config.validation;
    match load_validator(v.profile.as_deref(), &v.shapes, v.pathless_property_as_node)? {
        Some(p) => Ok(p),
        None => Ok(Profile::builtin("healthdcat-ap-r8")?),
    }
}

/// The validator chosen by the command line, else the configuration: a profile (bundled name or
/// folder) or shapes files. `None` when neither is set.
pub fn load_validator(
    profile: Option<&str>,
    shapes: &[std::path::PathBuf],
    pathless_property_as_node: bool,
) -> Result<Option<Profile>> {
    if let Some(name) = profile {
        let profile = if Profile::builtin_names().contains(&name) {
            Profile::builtin(name)?
        } else if Path::new(name).join("profile.toml").is_file() {
            Profile::load(Path::new(name))?
        } else {
            anyhow::bail!(
                "unknown profile {name:?}: give a bundled profile ({}) or a folder holding a \
                 profile.toml",
                Profile::builtin_names().join(", ")
            );
        };
        return Ok(Some(profile));
    }
    if shapes.is_empty() {
        return Ok(None);
    }
    let compiled = load_shapes(shapes, pathless_property_as_node)?;
    Ok(Some(Profile::from_shapes("shapes", compiled)))
}

/// Reads and compiles shapes files (merged), printing what the engine will not check.
pub fn load_shapes(
    paths: &[std::path::PathBuf],
    pathless_property_as_node: bool,
) -> Result<Shapes> {
    let mut triples = Vec::new();
    for path in paths {
        // Shapes are the operator's own files, and code lists are long RDF lists (`sh:in`).
        let trusted = healthcat_store::InputLimits {
            max_depth: usize::MAX - 1,
            max_literal_bytes: usize::MAX,
        };
        let doc = read(path, trusted)?;
        triples.extend(doc.iter().map(|t| t.into_owned()));
    }
    let options = ShapesOptions {
        pathless_property_as_node,
    };
    let shapes = Shapes::compile(Graph::new(triples.iter().map(|t| t.as_ref())), options)
        .map_err(|e| anyhow::anyhow!("invalid shapes: {e}"))?;
    for warning in shapes.unsupported() {
        eprintln!("warning: {warning}: its constraints were NOT checked");
    }
    Ok(shapes)
}

fn read(path: &Path, limits: healthcat_store::InputLimits) -> Result<healthcat_store::DocGraph> {
    let name = path.display().to_string();
    let format = Format::from_path(path).with_context(|| {
        format!("{name}: unknown RDF syntax (use a .ttl, .nt, .nq, .trig, .rdf or .jsonld name)")
    })?;
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
    // Relative IRIs resolve against the file's own location, as other SHACL tools do (the official
    // graph-guard shape is `<#DatasetPresenceGuard>`). Import, which stores IRIs for good, asks for
    // an explicit --base-iri instead.
    let base = std::path::absolute(path)
        .ok()
        .map(|p| format!("file://{}", p.display()).replace(' ', "%20"));
    let options = ParseOptions {
        base_iri: base,
        limits,
        ..ParseOptions::default()
    };
    Ok(parse_slice(bytes.as_slice(), format, &name, &options)?.graph)
}

/// Validates every file; `first` is the first file already read.
fn run_inner(
    args: &ValidateArgs,
    profile: &Profile,
    lang: &str,
    mut first: Option<Result<healthcat_store::DocGraph>>,
    limits: healthcat_store::InputLimits,
) -> Result<ExitCode, Failure> {
    let shapes = profile.shapes();
    let options = Options {
        level: args.level.clone(),
        skip_document_shapes: false,
    };
    let mut failing = false;
    let mut json_files = 0;
    // Reports can run to hundreds of thousands of lines: write them through one buffer, not a
    // system call per line.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    for path in &args.files {
        let started = std::time::Instant::now();
        let doc = first
            .take()
            .unwrap_or_else(|| read(path, limits))
            .map_err(Failure)?;
        tracing::debug!(elapsed = ?started.elapsed(), triples = doc.len(), "parsed");
        let (terms, triples) = doc.into_parts();
        let report = profile.validate_interned(terms, triples, &options);
        tracing::debug!(elapsed = ?started.elapsed(), results = report.results.len(), "validated");
        if !report.failures.is_empty() {
            return Err(Failure(anyhow::anyhow!(
                "{}: some constraints could not be evaluated:\n  {}",
                path.display(),
                report.failures.join("\n  ")
            )));
        }
        let (violations, warnings) = (report.violations().count(), report.warnings());
        // Details (`sh:detail`) are listed under their result in text, and flattened in JSON so
        // that every result of the report is counted.
        failing |= violations > 0 || (args.fail_on_warning && warnings > 0);
        let name = path.display().to_string();
        let reporting = std::time::Instant::now();
        match args.format {
            ReportFormat::Text => {
                let _ = writeln!(
                    out,
                    "{name}: {} ({violations} violations, {warnings} warnings, {} results)",
                    // sh:conforms is false as soon as there is any result; people want to know
                    // whether the record would be accepted, which only violations decide.
                    if report.conforms {
                        "conforms"
                    } else if violations == 0 {
                        "conforms, with warnings"
                    } else {
                        "does not conform"
                    },
                    report.results.len()
                );
                for r in &report.results {
                    print_tree(&mut out, profile, r, 1, lang);
                }
            }
            ReportFormat::Json => {
                let head = FileReport {
                    file: name,
                    conforms: report.conforms,
                    violations,
                    warnings,
                };
                write_json_file(&mut out, json_files == 0, &head, profile, &report, lang)
                    .map_err(|e| Failure(e.into()))?;
                json_files += 1;
            }
            ReportFormat::Turtle => {
                report
                    .write_turtle(shapes, &mut out)
                    .map_err(|e| Failure(e.into()))?;
            }
        }
        tracing::debug!(elapsed = ?reporting.elapsed(), results = report.results.len(), "reported");
    }
    let writing = std::time::Instant::now();
    if matches!(args.format, ReportFormat::Json) {
        let end: &[u8] = if json_files == 0 { b"[]\n" } else { b"\n]\n" };
        out.write_all(end).map_err(|e| Failure(e.into()))?;
    }
    out.flush().map_err(|e| Failure(e.into()))?;
    tracing::debug!(elapsed = ?writing.elapsed(), "written");
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_tree(
    out: &mut impl Write,
    profile: &Profile,
    r: &ValidationResult,
    depth: usize,
    lang: &str,
) {
    let _ = writeln!(out, "{}{}", "  ".repeat(depth), line(profile, r, lang));
    for d in &r.details {
        print_tree(out, profile, d, depth + 1, lang);
    }
}

/// One result for people: severity, the resource, and what to do.
fn line(profile: &Profile, r: &ValidationResult, lang: &str) -> String {
    let severity = match &r.severity {
        oxrdf::Term::NamedNode(n) => n
            .as_str()
            .rsplit('#')
            .next()
            .unwrap_or("Violation")
            .to_owned(),
        other => other.to_string(),
    };
    let component = r
        .component
        .as_str()
        .rsplit('#')
        .next()
        .unwrap_or_default()
        .trim_end_matches("ConstraintComponent");
    format!(
        "{severity} [{component}] {}: {}",
        r.focus_node,
        profile.explain(r, lang)
    )
}
