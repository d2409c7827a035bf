//! Command-line definitions. Doc comments are the `--help` text; logic lives in `commands/`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// healthcat — a HealthDCAT-AP metadata catalogue in one binary.
///
/// Every subcommand works on the same data directory (--data-dir, HEALTHCAT_DATA_DIR, or
/// `data_dir` in the configuration file). Exit codes: 0 success, 1 invalid input or data,
/// 2 usage or I/O error.
#[derive(Debug, Parser)]
#[command(
    name = "healthcat",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Configuration file (TOML); see docs/healthcat.example.toml.
    #[arg(long, global = true, env = "HEALTHCAT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Data directory holding the store (created if missing). Default: ./data
    #[arg(long, global = true, env = "HEALTHCAT_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Keep the records on this SPARQL 1.1 server (its base address; queries go to {URL}/query,
    /// updates to {URL}/update) instead of the data directory. See docs/scaling.md.
    #[arg(long, global = true, env = "HEALTHCAT_STORE_URL", value_name = "URL")]
    pub store_url: Option<String>,
    /// Print less (only errors and the final summary).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Language of validation messages and of spreadsheet headers: fr or en.
    #[arg(long, global = true, env = "HEALTHCAT_LANG", default_value = "en", value_parser = ["fr", "en"])]
    pub lang: String,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD) into the catalogue.
    ///
    /// Each file is split into records (datasets, data services, dataset series) and stored
    /// whole or not at all. Records whose content did not change are left untouched.
    Import(ImportArgs),
    /// Export the whole catalogue, streamed.
    Export(ExportArgs),
    /// Generate realistic HealthDCAT-AP Release 8 records (deterministic per seed).
    DemoData(DemoArgs),
    /// Serve the catalogue over HTTP.
    Serve(ServeArgs),
    /// Show what the catalogue holds.
    Stats(StatsArgs),
    /// Score stored datasets with data.europa.eu's metadata quality assessment (MQA).
    Quality(QualityArgs),
    /// Validate RDF files against SHACL shapes.
    ///
    /// Exit code 0: the data conforms (warnings alone do not fail unless --fail-on-warning);
    /// 1: violations; 2: an error (unreadable data, malformed shapes).
    Validate(ValidateArgs),
    /// Harvest DCAT catalogues into this one (sources: harvest/*.toml, see harvest/README.md).
    ///
    /// Each source's pages are followed (Hydra paging in both vocabularies), its records stored
    /// with their original IRIs when they changed, and records it no longer lists withdrawn —
    /// unless the run failed or listed far fewer records than last time. Exit code 1 when a
    /// source failed or was guarded.
    Harvest(HarvestArgs),
    /// Rebuild the search index from the store (with a progress bar).
    Reindex,
    /// Withdraw records from the catalogue, by IRI (or local id); the search index follows.
    ///
    /// A harvesting parent withdraws them at its next run; a `[parent]` this node pushes to is
    /// sent the withdrawal by the outbox.
    Remove(RemoveArgs),
    /// Make, list and revoke API keys for the write API (/api/datasets).
    Keys(KeysArgs),
    /// Make, list and disable the accounts of people who edit in the browser (/edit).
    Users(UsersArgs),
    /// Search the catalogue, as /api/search does.
    Search(SearchArgs),
    /// The annual review (EHDS Art. 60(3)): which records are due or overdue, per holder and
    /// per source; with --send, e-mail the reminders due (as `serve` does every day).
    ///
    /// Exit code 1 when a reminder could not be sent (it is logged and tried again next time).
    Review(ReviewArgs),
    /// The biennial usage report (EHDS Art. 59) for a period: the catalogue's figures, each
    /// dataset's and data holder's views, downloads, search impressions, API reads and access
    /// routes followed, quality labels by category, new and withdrawn records. Written as XLSX
    /// (every table) or CSV (one table), by the extension of --out.
    UsageReport(UsageReportArgs),
    /// Back up the data directory into a new directory, while `serve` runs or not.
    ///
    /// The store is copied as an online checkpoint (a write is in it whole or not at all) with
    /// every other file of the data directory (accounts, keys, harvest state, drafts, outbox,
    /// baskets) and a manifest of their SHA-256; the search index is left out (rebuilt at
    /// restore). When `serve` holds the store, it takes the backup (through the control socket
    /// in the data directory). Nothing is left at DIR when it fails (a full disk).
    Backup(BackupArgs),
    /// Restore a backup into an empty or new data directory, rebuild its search index and verify
    /// it.
    Restore(RestoreArgs),
    /// Check the data directory: every record reads back and matches its content hash, and the
    /// search index agrees with the store. Exit code 1 when something does not.
    Verify(VerifyArgs),
    /// Bring a data directory written by an older healthcat to this version's format (take a
    /// backup first). Says what it did; a directory already in this format is left as it is.
    Migrate,
}

/// `healthcat backup`
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the backup: a directory that does not exist yet. On the data directory's
    /// file system the store's files are hard links (fast, but no protection against losing
    /// that disk): copy it elsewhere, or give a directory on another disk.
    #[arg(value_name = "DIR")]
    pub target: PathBuf,
}

/// `healthcat restore`
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup directory (written by `healthcat backup`).
    #[arg(value_name = "DIR")]
    pub backup: PathBuf,
}

/// `healthcat verify`
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `healthcat usage-report`
#[derive(Debug, Args)]
pub struct UsageReportArgs {
    /// First day (YYYY-MM-DD). Default: two years before --to.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD), included. Default: today (UTC).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// For a CSV: which table (summary, datasets, holders, labels, records).
    #[arg(long, default_value = "summary")]
    pub table: String,
    /// Where to write it: a file ending in .xlsx or .csv.
    #[arg(long, value_name = "FILE")]
    pub out: std::path::PathBuf,
}

/// `healthcat review`
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The time to review at (RFC 3339, or a date YYYY-MM-DD): what will be due then. Default: now.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Send the reminders due (needs [review.smtp]); each attempt goes to the reminder log.
    #[arg(long)]
    pub send: bool,
    /// Print the review as JSON (every record).
    #[arg(long)]
    pub json: bool,
}

/// `healthcat users`
#[derive(Debug, Args)]
pub struct UsersArgs {
    #[command(subcommand)]
    pub command: UsersCommand,
}

/// What `healthcat users` does.
#[derive(Debug, clap::Subcommand)]
pub enum UsersCommand {
    /// Make an account. The password is read from the variable --password-env names, else
    /// typed at the prompt (not echoed); at least 12 characters.
    Create {
        /// Login name.
        name: String,
        /// An administrator (same as --role admin): the first account of a catalogue.
        #[arg(long, conflicts_with = "role")]
        admin: bool,
        /// admin, editor (the records of its publishers) or reader.
        #[arg(long, default_value = "editor")]
        role: String,
        /// For an editor: a publisher IRI whose records it may change (repeat for several).
        #[arg(long = "publisher", value_name = "IRI")]
        publishers: Vec<String>,
        /// Environment variable holding the password (scripts).
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
        /// Where the catalogue writes to this person (the annual review's reminders).
        #[arg(long, value_name = "ADDRESS")]
        email: Option<String>,
    },
    /// Set (or, without an address, remove) an account's e-mail address.
    Email {
        /// Login name.
        name: String,
        /// The address; none removes it.
        address: Option<String>,
    },
    /// List the accounts (never their password hashes).
    List,
    /// Set a new password (and enable a disabled account).
    Password {
        /// Login name.
        name: String,
        /// Environment variable holding the password (scripts).
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
    },
    /// Disable an account: its sessions end at their next request.
    Disable {
        /// Login name.
        name: String,
    },
}

/// `healthcat keys`
#[derive(Debug, Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    pub command: KeysCommand,
}

/// What `healthcat keys` does.
#[derive(Debug, clap::Subcommand)]
pub enum KeysCommand {
    /// Make a key; prints it once on standard output (it is kept only hashed).
    Create {
        /// Who or what will use it (recorded with each change it makes).
        #[arg(long)]
        name: String,
        /// admin (everything, may store invalid records flagged), editor (the records of its
        /// publishers) or reader.
        #[arg(long, default_value = "editor")]
        role: String,
        /// For an editor: a publisher IRI whose records it may change (repeat for several).
        #[arg(long = "publisher", value_name = "IRI")]
        publishers: Vec<String>,
    },
    /// List the keys (never their secrets).
    List {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key by its id: it stops working at once, in a running server too.
    Revoke {
        /// The key's id (`healthcat keys list`).
        id: String,
    },
}

/// `healthcat remove`
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The records' IRIs (or local ids).
    #[arg(value_name = "RECORD", required = true)]
    pub records: Vec<String>,
}

/// `healthcat harvest`
#[derive(Debug, Args)]
pub struct HarvestArgs {
    /// Source ids to run; none: every source of the folder.
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Folder of the source files. Default: `[harvest] sources_dir` of the configuration, else
    /// ./harvest
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Print each run's whole report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `healthcat search`
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words (all required) and "phrases"; empty: everything.
    #[arg(default_value = "")]
    pub query: String,
    /// A facet filter, NAME=VALUE (theme, health_category, health_theme, publisher, access_rights,
    /// format, license, language, coding_system, spatial, source); repeat the flag.
    #[arg(long = "filter", value_name = "NAME=VALUE")]
    pub filters: Vec<String>,
    /// relevance, modified, title or quality (the MQA score, best first).
    #[arg(long, default_value = "relevance")]
    pub sort: String,
    /// Page (from 1).
    #[arg(long, default_value_t = 1)]
    pub page: usize,
    /// Hits per page (at most 100).
    #[arg(long, default_value_t = 10)]
    pub per_page: usize,
    /// Print the whole result (hits and facets) as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `healthcat validate`
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Data files to validate (each on its own).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Validation profile: a bundled one (healthdcat-ap-r8, dcat-ap-3) or a folder with a
    /// profile.toml. Default: the configured one, else healthdcat-ap-r8.
    #[arg(long, value_name = "NAME|DIR", conflicts_with = "shapes")]
    pub profile: Option<String>,
    /// Check every dataset at this access level (public, restricted, non-public) instead of the
    /// level its dct:accessRights names, as the official validator does.
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<String>,
    /// Shapes files instead of a profile, merged into one shapes graph (any RDF syntax).
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub shapes: Vec<PathBuf>,
    /// Output: text for people, json, or turtle (a standard sh:ValidationReport).
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Exit with 1 on warnings too.
    #[arg(long)]
    pub fail_on_warning: bool,
    /// Accept a sh:property value without sh:path (a quirk of the official HealthDCAT-AP R8
    /// shapes) and apply it to the focus node as sh:node would.
    #[arg(long)]
    pub pathless_property_as_node: bool,
}

/// `validate --format`
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    /// One line per result.
    Text,
    /// A JSON object per file.
    Json,
    /// A sh:ValidationReport in Turtle.
    Turtle,
}

/// `healthcat import`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import; `-` reads standard input (then --format is required).
    #[arg(required_unless_present = "from_sheet", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// A filled-in spreadsheet template (.xlsx or .csv; see `export --sheet`): each row becomes
    /// a draft of the account given with --as, validated as the editor validates an edit, to
    /// review and publish in the editor. Any value that cannot be read, or a row the account
    /// may not write, and no draft is made; each problem names its sheet, row and column.
    #[arg(
        long,
        value_name = "FILE",
        requires = "account",
        conflicts_with = "files"
    )]
    pub from_sheet: Option<PathBuf>,
    /// The editor account whose drafts the spreadsheet's rows become (`users list`); it may
    /// only write its publishers' datasets.
    #[arg(long = "as", value_name = "ACCOUNT", requires = "from_sheet")]
    pub account: Option<String>,
    /// Syntax of the input; by default guessed from each file's extension.
    #[arg(long, short, value_enum)]
    pub format: Option<FormatArg>,
    /// Base IRI for relative IRIs in the input.
    #[arg(long, value_name = "IRI")]
    pub base_iri: Option<String>,
    /// Skip statements with syntax errors (each is reported) instead of refusing the whole file.
    #[arg(long)]
    pub continue_on_error: bool,
    /// Source id recorded for these records (shared resources are kept per source).
    #[arg(long, default_value = "local", value_name = "ID")]
    pub source: String,
    /// Print one line per record.
    #[arg(long, short)]
    pub verbose: bool,
    /// Print the report as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// Validate each record against this profile (see `validate --profile`) before storing it,
    /// with the shared resources it refers to. Invalid records are refused unless --keep-invalid.
    /// Default: the configured [validation] profile or shapes, else no validation.
    #[arg(long, value_name = "NAME|DIR", conflicts_with = "shapes")]
    pub profile: Option<String>,
    /// Validate against these SHACL shapes files instead of a profile.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub shapes: Vec<PathBuf>,
    /// Store records with violations anyway, flagged invalid in their bookkeeping.
    #[arg(long)]
    pub keep_invalid: bool,
    /// See `validate --pathless-property-as-node`.
    #[arg(long, requires = "shapes")]
    pub pathless_property_as_node: bool,
    /// Read each file part by part (memory bounded, whatever its size), even a small one; by
    /// default files of 64 MiB and more are. A file that is not grouped by record, or that
    /// changes stored records, is then read whole (a note says why).
    #[arg(long, conflicts_with = "read_whole")]
    pub stream: bool,
    /// Read each file whole before storing it, whatever its size (memory ≈ 9 KB per dataset).
    #[arg(long)]
    pub read_whole: bool,
    /// Statements per part of a streamed file.
    #[arg(long, value_name = "N", default_value_t = healthcat_store::DEFAULT_PART_STATEMENTS, hide = true)]
    pub part_statements: usize,
}

/// `healthcat export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output syntax.
    #[arg(long, short, value_enum, default_value = "ttl")]
    pub format: FormatArg,
    /// Output file (written atomically); standard output by default.
    #[arg(long, short, value_name = "FILE", conflicts_with = "sheet")]
    pub output: Option<PathBuf>,
    /// Write the catalogue's own datasets as the spreadsheet template instead (`.xlsx`: a sheet
    /// per group of fields, drop-downs for code lists; `.csv`: the datasets' sheet alone),
    /// headers in the language of --lang, to edit in bulk and read back with
    /// `import --from-sheet`.
    #[arg(long, value_name = "FILE.xlsx|FILE.csv")]
    pub sheet: Option<PathBuf>,
    /// With --sheet: the empty template, no dataset.
    #[arg(long, requires = "sheet")]
    pub template: bool,
    /// With --sheet: only the datasets this account may change (an editor's: its publishers'),
    /// to edit a large catalogue in workbooks that are read back (20,000 datasets and 100,000
    /// rows over all sheets at most each).
    #[arg(
        long = "as",
        value_name = "ACCOUNT",
        requires = "sheet",
        conflicts_with = "template"
    )]
    pub account: Option<String>,
}

/// `healthcat demo-data`
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of datasets.
    #[arg(long, default_value_t = 200)]
    pub datasets: usize,
    /// Random seed (same seed, same output).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output file (Turtle); standard output by default.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Base of the generated IRIs; default: the configured base IRI.
    #[arg(long, value_name = "IRI")]
    pub base_iri: Option<String>,
    /// Dataset series, each with three yearly editions (2022-2024), written after the datasets.
    #[arg(long, default_value_t = 0)]
    pub series: usize,
}

/// `healthcat serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (also HEALTHCAT_BIND); default 127.0.0.1:8080.
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<String>,
    /// Fill an empty catalogue with ~200 generated records first.
    #[arg(long)]
    pub demo: bool,
}

/// `healthcat stats`
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `healthcat quality`
#[derive(Debug, Args)]
pub struct QualityArgs {
    /// Datasets to score, by IRI or local id (default: every stored dataset).
    #[arg(value_name = "RECORD")]
    pub records: Vec<String>,
    /// Every stored dataset (what no RECORD also means).
    #[arg(long, conflicts_with = "records")]
    pub all: bool,
    /// Print as JSON: each dataset's score with every indicator and its evidence.
    #[arg(long)]
    pub json: bool,
    /// First check the access and download URLs of these datasets (those never checked, or
    /// checked longer ago than `[links] recheck_days`), keep the answers in {data_dir}/links.tsv,
    /// and keep the new scores with the records.
    #[arg(long)]
    pub check_links: bool,
    /// Keep each score that differs from the one kept with its record (records stored before
    /// scores were kept, or scored with another label framework); the search index follows.
    #[arg(long)]
    pub keep: bool,
}

/// RDF syntaxes on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Turtle
    Ttl,
    /// N-Triples
    Nt,
    /// N-Quads (one named graph per record on export)
    Nq,
    /// TriG
    Trig,
    /// RDF/XML
    Rdf,
    /// JSON-LD
    Jsonld,
}

impl FormatArg {
    /// The store's format.
    pub fn format(self) -> healthcat_store::Format {
        use healthcat_store::Format;
        match self {
            FormatArg::Ttl => Format::Turtle,
            FormatArg::Nt => Format::NTriples,
            FormatArg::Nq => Format::NQuads,
            FormatArg::Trig => Format::TriG,
            FormatArg::Rdf => Format::RdfXml,
            FormatArg::Jsonld => Format::JsonLd,
        }
    }
}
