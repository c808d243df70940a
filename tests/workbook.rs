//! `stakeshift.xlsx`, read back with calamine and checked against what is known without the
//! workbook writer: the CSV files of the same run cell for cell, the model file's own values
//! for `Inputs`, the SPEC's discount factor computed here, and (where LibreOffice is on the
//! machine) a real spreadsheet's recalculation after the discount rate is changed, against
//! `compare` run at that rate.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use stakeshift::overrides::{OverridePath, Segment, Target, key_segment, name_segment};

fn stakeshift() -> Command {
    Command::cargo_bin("stakeshift").unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("stakeshift-workbook-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Runs `compare MODEL --out DIR` and returns DIR.
fn compare_out(model: &Path, name: &str) -> PathBuf {
    let dir = temp_dir(name);
    stakeshift()
        .arg("compare")
        .arg(model)
        .arg("--out")
        .arg(&dir)
        .assert()
        .success();
    dir
}

/// [`compare_out`], also returning what it printed on stderr (its warnings).
fn compare_out_warnings(model: &Path, name: &str) -> (PathBuf, String) {
    let dir = temp_dir(name);
    let out = stakeshift()
        .arg("compare")
        .arg(model)
        .arg("--out")
        .arg(&dir)
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    (dir, String::from_utf8(out).unwrap())
}

/// A name as the workbook holds it, from the CSV's cell: the CSV writes a leading `'` before
/// text that a spreadsheet would take for a formula, or that begins with `'` itself; the
/// workbook's string cells need no such prefix.
fn name_from_csv(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// A CSV file as its header and rows of text.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

struct Book {
    xlsx: Xlsx<std::io::BufReader<std::fs::File>>,
}

impl Book {
    fn open(path: &Path) -> Book {
        Book {
            xlsx: open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        }
    }
    fn values(&mut self, sheet: &str) -> Range<Data> {
        self.xlsx.worksheet_range(sheet).unwrap()
    }
    fn formulas(&mut self, sheet: &str) -> Range<String> {
        self.xlsx.worksheet_formula(sheet).unwrap()
    }
    fn defined(&self, name: &str) -> String {
        self.xlsx
            .defined_names()
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no defined name {name}"))
            .1
            .clone()
    }
}

fn at(range: &Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn formula_at(range: &Range<String>, row: u32, col: u32) -> String {
    range.get_value((row, col)).cloned().unwrap_or_default()
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        other => panic!("not a string: {other:?}"),
    }
}

/// Whether `value` is what the CSV printed: within half a unit of the CSV's last place (the
/// CSV rounds once, the workbook keeps the full double).
fn matches_printed(value: f64, printed: &str) -> bool {
    let decimals = printed.split_once('.').map_or(0, |(_, f)| f.len());
    let expected: f64 = printed.parse().unwrap();
    let half_unit = 0.5 * 10f64.powi(-(decimals as i32));
    (value - expected).abs() <= half_unit * (1.0 + 1e-9) + 1e-12 * expected.abs()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

/// The row (0-based) on `Inputs` that a defined name points at: `Inputs!$B$7` -> 6.
fn defined_row(reference: &str) -> u32 {
    let reference = reference.trim_start_matches('=');
    let (sheet, cell) = reference.split_once('!').unwrap();
    assert_eq!(sheet.trim_matches('\''), "Inputs", "{reference}");
    assert!(cell.starts_with("$B$"), "{reference}");
    cell[3..].parse::<u32>().unwrap() - 1
}

/// The first row of a trajectory sheet's rows under each regime, in yearly.csv's order.
const YEARLY_HEADER: [&str; 19] = [
    "trajectory",
    "regime",
    "year",
    "revenue",
    "profit",
    "valuation",
    "distributable",
    "contribution",
    "distribution",
    "revenue_share",
    "dividend",
    "stake",
    "holding_value",
    "cash_flow",
    "cumulative_cash_flow",
    "discount_factor",
    "present_value",
    "cloud_purchases",
    "cloud_income",
];

/// Checks every cell of the workbook in `dir` against the CSV files beside it and the SPEC.
/// Returns the sheet name of each trajectory, in order.
fn check_against_csv(dir: &Path) -> Vec<String> {
    let (yearly_header, yearly) = read_csv(&dir.join("yearly.csv"));
    let (_, summary) = read_csv(&dir.join("summary.csv"));
    let (comparison_header, comparison) = read_csv(&dir.join("comparison.csv"));
    assert_eq!(yearly_header, YEARLY_HEADER);
    let mut book = Book::open(&dir.join("stakeshift.xlsx"));

    let sheets = book.xlsx.sheet_names();
    assert_eq!(sheets[0], "Inputs");
    assert_eq!(sheets[1], "Summary");
    let trajectory_sheets: Vec<String> = sheets[2..].to_vec();
    assert_eq!(trajectory_sheets.len(), comparison.len());

    // The defined names point at the inputs' cells.
    let inputs = book.values("Inputs");
    let rate_row = defined_row(&book.defined("discount_rate"));
    let year_row = defined_row(&book.defined("valuation_year"));
    assert_eq!(text(&at(&inputs, rate_row, 0)), "discount_rate");
    assert_eq!(text(&at(&inputs, year_row, 0)), "valuation_year");
    let rate = number(&at(&inputs, rate_row, 1));
    let valuation_year = number(&at(&inputs, year_row, 1));

    // Summary: the header, then comparison.csv's first five columns, as formulas.
    let values = book.values("Summary");
    let formulas = book.formulas("Summary");
    for (col, name) in comparison_header[..5].iter().enumerate() {
        assert_eq!(text(&at(&values, 0, col as u32)), *name);
    }
    for (i, (row_csv, sheet)) in comparison.iter().zip(&trajectory_sheets).enumerate() {
        let r = i as u32 + 1;
        let excel_row = r + 1;
        assert_eq!(
            text(&at(&values, r, 0)),
            name_from_csv(&row_csv[0]),
            "trajectory name"
        );
        assert_eq!(
            formula_at(&formulas, r, 0),
            "",
            "the name is text, not a formula"
        );
        for col in 1..=3 {
            let v = number(&at(&values, r, col));
            assert!(
                matches_printed(v, &row_csv[col as usize]),
                "Summary row {r} col {col}: {v} vs {}",
                row_csv[col as usize]
            );
        }
        assert_eq!(text(&at(&values, r, 4)), row_csv[4], "winner");
        let quoted = format!("'{}'", sheet.replace('\'', "''"));
        assert_eq!(formula_at(&formulas, r, 1), format!("{quoted}!W2"));
        assert_eq!(formula_at(&formulas, r, 2), format!("{quoted}!W3"));
        // The advantage as the engine sums it: the yearly flows' differences, discounted,
        // and the terminal values' (profit share's rows first, then equity's, year for
        // year; helper-159: `C2-B2` lost an advantage beside NPVs of 1e25).
        let years = yearly.iter().filter(|y| y[0] == row_csv[0]).count() as u32 / 2;
        let (a, b) = ((2, years + 1), (years + 2, 2 * years + 1));
        assert_eq!(
            formula_at(&formulas, r, 3),
            format!(
                "SUMPRODUCT({quoted}!N{}:N{}-{quoted}!N{}:N{},{quoted}!P{}:P{})+({quoted}!V3-{quoted}!V2)*{quoted}!P{}",
                b.0, b.1, a.0, a.1, b.0, b.1, b.1
            )
        );
        assert_eq!(
            formula_at(&formulas, r, 4),
            format!(
                "IF(ROUND(D{excel_row},6)=0,\"tie\",IF(D{excel_row}>0,\"equity\",\"profit_share\"))"
            )
        );
    }

    // Each trajectory sheet: yearly.csv's rows for that trajectory, profit share then equity.
    for (t, (row_csv, sheet)) in comparison.iter().zip(&trajectory_sheets).enumerate() {
        let name = &row_csv[0];
        let rows: Vec<&Vec<String>> = yearly.iter().filter(|r| &r[0] == name).collect();
        let values = book.values(sheet);
        let formulas = book.formulas(sheet);
        for (col, header) in YEARLY_HEADER.iter().enumerate() {
            assert_eq!(text(&at(&values, 0, col as u32)), *header, "{sheet}");
        }
        let mut pv_sum = [0.0f64; 2];
        let mut last_df = [0.0f64; 2];
        let mut last_row = [0u32; 2];
        for (i, csv_row) in rows.iter().enumerate() {
            let r = i as u32 + 1;
            let excel_row = r + 1;
            for (col, printed) in csv_row.iter().enumerate() {
                let cell = at(&values, r, col as u32);
                if col < 2 {
                    assert_eq!(
                        text(&cell),
                        name_from_csv(printed),
                        "{sheet} row {r} col {col}"
                    );
                } else {
                    assert!(
                        matches_printed(number(&cell), printed),
                        "{sheet} row {r} {}: {cell:?} vs {printed}",
                        YEARLY_HEADER[col]
                    );
                }
                let f = formula_at(&formulas, r, col as u32);
                match YEARLY_HEADER[col] {
                    "discount_factor" => assert_eq!(
                        f,
                        format!(
                            "IF(ABS((valuation_year-C{excel_row})*LN(1+discount_rate))<700,(1+discount_rate)^(valuation_year-C{excel_row}),EXP((valuation_year-C{excel_row})*LN(1+discount_rate)))"
                        )
                    ),
                    "present_value" => assert_eq!(f, format!("N{excel_row}*P{excel_row}")),
                    _ => assert_eq!(f, "", "{sheet} row {r} col {col} is a number"),
                }
            }
            // The stored results are the SPEC's: DF = (1 + rate)^-(year - valuation_year),
            // PV = cash flow * DF.
            let year = number(&at(&values, r, 2));
            let df = number(&at(&values, r, 15));
            let cash_flow = number(&at(&values, r, 13));
            let pv = number(&at(&values, r, 16));
            assert!(
                close(df, (1.0 + rate).powf(-(year - valuation_year))),
                "{sheet} {year}: {df}"
            );
            assert!(close(pv, cash_flow * df), "{sheet} {year}: {pv}");
            let regime = usize::from(csv_row[1] == "equity");
            pv_sum[regime] += pv;
            last_df[regime] = df;
            last_row[regime] = excel_row;
        }
        // The NPV block: header, then one line per regime; NPV = sum(PV) + TV * DF_end.
        // (Not `regime` twice on one sheet: helper-193.)
        for (col, header) in [(20, "npv_regime"), (21, "terminal_value"), (22, "npv")] {
            assert_eq!(text(&at(&values, 0, col)), header);
        }
        let first_row = [2, last_row[0] + 1];
        for (regime, name_of) in ["profit_share", "equity"].into_iter().enumerate() {
            let r = regime as u32 + 1;
            let summary_row = summary
                .iter()
                .find(|s| &s[0] == name && s[1] == name_of)
                .unwrap();
            assert_eq!(text(&at(&values, r, 20)), name_of);
            let terminal = number(&at(&values, r, 21));
            let npv = number(&at(&values, r, 22));
            assert!(matches_printed(terminal, &summary_row[4]), "{sheet} TV");
            assert!(matches_printed(npv, &summary_row[5]), "{sheet} NPV");
            let sum = pv_sum[regime] + terminal * last_df[regime];
            assert!(
                (npv - sum).abs() <= 1e-9 * npv.abs().max(1.0),
                "{sheet} {name_of}: {npv} vs {sum}"
            );
            assert_eq!(
                formula_at(&formulas, r, 22),
                format!(
                    "SUM(Q{}:Q{})+V{}*P{}",
                    first_row[regime],
                    last_row[regime],
                    r + 1,
                    last_row[regime]
                )
            );
        }
        assert_eq!(rows.len() as u32 + 1, values.end().unwrap().0 + 1, "{t}");
    }
    trajectory_sheets
}

/// The value at a `--set` path in a model's TOML, the path read by the override path parser
/// itself (`a.b`, `x[0]`, `trajectories[NAME]`, `shares."other guys"`).
fn toml_at<'a>(doc: &'a toml::Value, path: &str) -> Option<&'a toml::Value> {
    let parsed = OverridePath::parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let Target::Key(segments) = parsed.target else {
        panic!("{path} is a derived key");
    };
    let mut node = doc;
    for segment in segments {
        node = match segment {
            Segment::Key(key) => node.get(key.as_str())?,
            Segment::Index(i) => node.get(i)?,
            Segment::Name(name) => node
                .as_array()?
                .iter()
                .find(|t| t.get("name").and_then(|n| n.as_str()) == Some(name.as_str()))?,
        };
    }
    Some(node)
}

fn toml_number(v: &toml::Value) -> f64 {
    match v {
        toml::Value::Integer(i) => *i as f64,
        toml::Value::Float(f) => *f,
        other => panic!("not a number: {other:?}"),
    }
}

/// Every row of `Inputs` holds the model file's value at its path (or the SPEC's default
/// where the file leaves an optional key out), and every scalar the file sets outside the
/// series is on the sheet.
fn check_inputs(dir: &Path, model_text: &str) {
    let doc: toml::Value = toml::from_str(model_text).unwrap();
    let mut book = Book::open(&dir.join("stakeshift.xlsx"));
    let values = book.values("Inputs");
    assert_eq!(text(&at(&values, 0, 0)), "input");
    let mut shown = BTreeMap::new();
    let mut r = 1;
    // (A blank row separates the inputs from the note under them.)
    while let Data::String(path) = at(&values, r, 0) {
        shown.insert(path.clone(), at(&values, r, 1));
        r += 1;
    }
    assert!(shown.len() > 20, "{shown:?}");
    for (path, cell) in &shown {
        match toml_at(&doc, path) {
            Some(toml::Value::String(s)) => assert_eq!(&text(cell), s, "{path}"),
            Some(toml::Value::Boolean(b)) => assert_eq!(cell, &Data::Bool(*b), "{path}"),
            Some(v) => {
                assert!(
                    close(number(cell), toml_number(v)),
                    "{path}: {cell:?} vs {v:?}"
                )
            }
            None => {
                // Left out of the file: the SPEC's default (false, 0, or start_year for
                // cap_growth_from).
                // `[simulation]`'s defaults are SPEC 10's.
                let simulation_default = match path.as_str() {
                    "simulation.paths" => Some(10000.0),
                    "simulation.revenue_vol" => Some(0.2),
                    "simulation.margin_vol" => Some(0.05),
                    "simulation.margin_persistence" => Some(0.8),
                    "simulation.valuation_vol" => Some(0.15),
                    "simulation.revenue_persistence"
                    | "simulation.valuation_persistence"
                    | "simulation.valuation_beta" => Some(1.0),
                    _ => None,
                };
                let default = match cell {
                    Data::Bool(b) => !*b,
                    _ if path.ends_with("cap_growth_from") => {
                        number(cell) == toml_number(&doc["start_year"])
                    }
                    other => number(other) == simulation_default.unwrap_or(0.0),
                };
                assert!(
                    default,
                    "{path} is not in the file and {cell:?} is not its default"
                );
            }
        }
    }
    // The other way: the file's scalars (outside trajectories' series and the cloud side's
    // series) are all shown.
    fn leaves(v: &toml::Value, at: String, out: &mut Vec<String>) {
        if at.ends_with("cloud.share") || at == "cloud.spend" {
            return;
        }
        match v {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    let k = key_segment(k);
                    let path = if at.is_empty() {
                        k
                    } else {
                        format!("{at}.{k}")
                    };
                    leaves(v, path, out);
                }
            }
            toml::Value::Array(items) if items.iter().all(|i| i.is_table()) => {
                for (i, item) in items.iter().enumerate() {
                    leaves(item, format!("{at}[{i}]"), out);
                }
            }
            toml::Value::Array(items) if at == "investor.contributions" => {
                for i in 0..items.len() {
                    out.push(format!("{at}[{i}][1]")); // the amount
                }
            }
            _ => out.push(at),
        }
    }
    let mut expected = Vec::new();
    for section in ["investor", "profit_share", "equity", "cloud", "simulation"] {
        if let Some(v) = doc.get(section) {
            leaves(v, section.to_string(), &mut expected);
        }
    }
    for key in [
        "name",
        "unit",
        "start_year",
        "end_year",
        "valuation_year",
        "discount_rate",
    ] {
        expected.push(key.to_string());
    }
    if doc.get("trajectories_csv").is_some() {
        expected.push("trajectories_csv".to_string());
    }
    for t in doc
        .get("trajectories")
        .and_then(|t| t.as_array())
        .into_iter()
        .flatten()
    {
        let at = format!("trajectories{}", name_segment(t["name"].as_str().unwrap()));
        if t.get("agi_year").is_some() {
            expected.push(format!("{at}.agi_year"));
        }
        // Revenue's and valuation's growth where the file gives one that is not 0
        // (helper-126: missing; a margin-like series' growth has no effect).
        for series in ["revenue", "valuation"] {
            let growth = t.get(series).and_then(|s| s.get("growth"));
            if growth.is_some_and(|g| g.as_float().map_or(g.as_integer() != Some(0), |f| f != 0.0))
            {
                expected.push(format!("{at}.{series}.growth"));
            }
        }
    }
    for path in expected {
        assert!(
            shown.contains_key(&path),
            "{path} is not on Inputs: {shown:?}"
        );
    }
}

fn models() -> Vec<PathBuf> {
    let mut models: Vec<PathBuf> = std::fs::read_dir(repo("models"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    models.sort();
    assert!(!models.is_empty());
    models
}

#[test]
fn the_workbook_holds_the_csv_values_and_the_spec_formulas() {
    for (i, model) in models().into_iter().enumerate() {
        let dir = compare_out(&model, &format!("model{i}"));
        let sheets = check_against_csv(&dir);
        check_inputs(&dir, &std::fs::read_to_string(&model).unwrap());
        assert!(!sheets.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn two_runs_write_identical_bytes() {
    let model = repo("models/msft-openai.toml");
    let (a, b) = (compare_out(&model, "same-a"), compare_out(&model, "same-b"));
    let bytes = |d: &Path| std::fs::read(d.join("stakeshift.xlsx")).unwrap();
    assert_eq!(bytes(&a), bytes(&b));
    let _ = (std::fs::remove_dir_all(&a), std::fs::remove_dir_all(&b));
}

/// The built-in model with its trajectories renamed to names a spreadsheet must be careful
/// with: formula-like text, characters Excel forbids in sheet names, a reserved sheet name,
/// an apostrophe, and two long names alike in their first 31 characters.
const HOSTILE_NAMES: [(&str, &str); 6] = [
    ("bust", "=HYPERLINK(\"http://example.invalid\",\"x\")"),
    ("bear", "a/b:c[1]*?"),
    ("base", "Summary"),
    ("bull", "it's"),
    ("early-agi", "a-very-long-trajectory-name-for-excel-one"),
    ("commoditized", "a-very-long-trajectory-name-for-excel-two"),
];

fn hostile_model(dir: &Path) -> PathBuf {
    // The built-in model up to its `[simulation]` section, whose weights name the
    // trajectories renamed here.
    let builtin = stakeshift::BUILTIN_MODEL;
    let mut text = builtin[..builtin.find("\n[simulation]").unwrap_or(builtin.len())].to_string();
    for (from, to) in HOSTILE_NAMES {
        let line = format!("name = \"{from}\"\n");
        assert_eq!(text.matches(&line).count(), 1, "{from}");
        let escaped = to.replace('\\', "\\\\").replace('"', "\\\"");
        text = text.replace(&line, &format!("name = \"{escaped}\"\n"));
    }
    let path = dir.join("hostile.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn hostile_trajectory_names_stay_text_and_get_legal_unique_sheet_names() {
    let scratch = temp_dir("hostile-model");
    let model = hostile_model(&scratch);
    let dir = compare_out(&model, "hostile");
    let sheets = check_against_csv(&dir);
    assert_eq!(
        sheets,
        [
            // `(` after a capital gets a space, `"` is `_` (helper-109), cut to 31.
            "=HYPERLINK (_http___example.inv".to_string(),
            "a_b_c_1___".to_string(),
            "Summary (2)".to_string(),
            "it\u{2019}s".to_string(),
            "a-very-long-trajectory-name-for".to_string(),
            "a-very-long-trajectory-name (2)".to_string(),
        ]
    );
    // The formula-like name is a string cell on its sheet and on Summary, never a formula.
    let mut book = Book::open(&dir.join("stakeshift.xlsx"));
    let values = book.values(&sheets[0]);
    assert_eq!(text(&at(&values, 1, 0)), HOSTILE_NAMES[0].1);
    assert_eq!(formula_at(&book.formulas(&sheets[0]), 1, 0), "");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&scratch);
}

// ---- LibreOffice: change the discount rate, recalculate, compare with `compare` ----

fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|tool| {
        std::process::Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// A copy of the workbook at `from` with the Inputs cell of `discount_rate` set to `rate`,
/// as an analyst would type it: only that cell's value changes (every stored result is left
/// as the old rate computed it, for the spreadsheet to recalculate).
fn with_discount_rate(from: &Path, to: &Path, rate: &str) {
    let row = {
        let book = Book::open(from);
        defined_row(&book.defined("discount_rate")) + 1
    };
    let mut archive = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let mut edited = false;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        // Inputs is the first sheet.
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(bytes).unwrap();
            let start = xml
                .find(&format!("<c r=\"B{row}\""))
                .expect("the rate's cell");
            let v = start + xml[start..].find("<v>").unwrap() + 3;
            let end = v + xml[v..].find("</v>").unwrap();
            bytes = format!("{}{rate}{}", &xml[..v], &xml[end..]).into_bytes();
            edited = true;
        }
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        writer.start_file(name, options).unwrap();
        writer.write_all(&bytes).unwrap();
    }
    writer.finish().unwrap();
    assert!(edited);
}

/// LibreOffice opens `input`, recalculates every formula (its profile says: always, for
/// OOXML files) and saves it as xlsx into `out_dir`.
fn recalculate(tool: &str, input: &Path, out_dir: &Path, profile: &Path) -> PathBuf {
    let user = profile.join("user");
    std::fs::create_dir_all(&user).unwrap();
    std::fs::write(
        user.join("registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
    let mut child = std::process::Command::new(tool)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
        ])
        .arg(out_dir)
        .arg(input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{tool} failed: {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{tool} did not finish converting within 180 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = out_dir.join(input.file_name().unwrap());
    assert!(out.exists(), "{tool} wrote no {}", out.display());
    out
}

/// Has LibreOffice recalculate the workbook `compare --out` writes for `model` after its
/// `discount_rate` is set to `new_rate` on `Inputs`, and checks every row of `Summary`
/// against `compare` run at that rate (the model file with its `discount_rate = ` line
/// changed).
fn check_recalculated_at(tool: &str, model: &Path, new_rate: &str, scratch: &Path) {
    let stem = model.file_stem().unwrap().to_string_lossy().to_string();
    let original = compare_out(model, &format!("lo-{stem}"));
    let edited = scratch.join(format!("{stem}-edited.xlsx"));
    with_discount_rate(&original.join("stakeshift.xlsx"), &edited, new_rate);
    let converted = scratch.join(format!("{stem}-out"));
    std::fs::create_dir_all(&converted).unwrap();
    let recalculated = recalculate(tool, &edited, &converted, &scratch.join("profile"));

    // What stakeshift says at the new rate (the model file with that one line changed).
    let model_text = std::fs::read_to_string(model).unwrap();
    let line = model_text
        .lines()
        .find(|l| l.starts_with("discount_rate ="))
        .unwrap();
    let patched = scratch.join(format!("{stem}-at-new-rate.toml"));
    std::fs::write(
        &patched,
        model_text.replacen(line, &format!("discount_rate = {new_rate}"), 1),
    )
    .unwrap();
    let expected = compare_out(&patched, &format!("lo-{stem}-expected"));
    let (_, rows) = read_csv(&expected.join("comparison.csv"));
    let (_, before) = read_csv(&original.join("comparison.csv"));

    let mut book = Book::open(&recalculated);
    let summary = book.values("Summary");
    for (i, (row, old)) in rows.iter().zip(&before).enumerate() {
        let r = i as u32 + 1;
        assert_eq!(text(&at(&summary, r, 0)), name_from_csv(&row[0]));
        for col in 1..=3 {
            let v = number(&at(&summary, r, col));
            // LibreOffice saves 15 significant digits.
            assert!(
                matches_printed(v, &row[col as usize]),
                "{stem} {} col {col}: LibreOffice {v}, stakeshift at {new_rate} {}",
                row[0],
                row[col as usize]
            );
            // It did recalculate: the value moved away from the old rate's.
            if !matches_printed(0.0, &old[col as usize]) {
                assert!(
                    !matches_printed(v, &old[col as usize]),
                    "{stem} not recalculated"
                );
            }
        }
        assert_eq!(text(&at(&summary, r, 4)), row[4], "{stem} winner");
    }
    let _ = std::fs::remove_dir_all(&original);
    let _ = std::fs::remove_dir_all(&expected);
}

#[test]
fn libreoffice_recalculates_every_npv_after_the_discount_rate_changes() {
    let Some(tool) = soffice() else {
        println!(
            "skipped: neither soffice nor libreoffice is on PATH, so no spreadsheet recalculates the workbook (install libreoffice-calc to run this test)"
        );
        return;
    };
    let scratch = temp_dir("libreoffice");
    let builtin = scratch.join("msft-openai.toml");
    std::fs::write(&builtin, stakeshift::BUILTIN_MODEL).unwrap();
    for model in [builtin, hostile_model(&scratch)] {
        check_recalculated_at(tool, &model, "0.12", &scratch);
    }
    // An advantage of -0.00125 beside NPVs of 7.6e25 (discount factors of 3e24 on a common
    // contribution): the NPVs' difference in doubles is 0, a tie; the flows' is not
    // (helper-159).
    let huge = scratch.join("huge.toml");
    std::fs::copy(repo("tests/hand/advantage_beside_huge_npvs.toml"), &huge).unwrap();
    check_recalculated_at(tool, &huge, "3.5", &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
}

// ---- Regressions ----

/// A TOML string literal holding `s` exactly.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A small model (2024-2026, one tier, a stake from 2025) named `name`, with one trajectory
/// per name in `trajectories`, each with a revenue of its own (so its own NPVs).
fn small_model(name: &str, trajectories: &[&str]) -> String {
    let mut text = format!(
        r#"name = {}
unit = "USD m"
start_year = 2024
end_year = 2026
valuation_year = 2024
discount_rate = 0.10

[investor]
party = "fund"
contributions = [[2024, 10.0]]

[profit_share]
residual = "founders"

[[profit_share.tiers]]
name = "Split"
shares = {{ fund = 0.5 }}

[equity]
from_year = 2025
stake = 0.20
"#,
        toml_string(name)
    );
    for (i, t) in trajectories.iter().enumerate() {
        text.push_str(&format!(
            r#"
[[trajectories]]
name = {}
revenue   = {{ points = [[2024, {}.0], [2026, 100.0]] }}
margin    = {{ points = [[2024, -0.1], [2026, 0.4]] }}
valuation = {{ points = [[2024, 50.0], [2026, 200.0]] }}
"#,
            toml_string(t),
            40 + i
        ));
    }
    text
}

/// Writes `text` as `file` in `dir` and returns its path.
fn model_file(dir: &Path, file: &str, text: &str) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(&path, text).unwrap();
    path
}

/// Trajectory names alike under one case mapping only: `YILDIZ` and `Yıldız` upper-case
/// alike (`ı` -> `I`) but lower-case apart (`I` -> `i`); so do `Σ` and `ς`, `ﬀ` and `FF`.
/// The sheet names were compared lower-cased, so both kept their names; LibreOffice (which
/// compares upper-cased) took them for one sheet, renamed one on load, and `Summary` then
/// read the other trajectory's NPVs. Now either mapping makes them the same, and the later
/// gets ` (2)`.
#[test]
fn regression_sheet_names_equal_under_one_case_mapping_were_kept_apart() {
    use stakeshift::report::xlsx::sheet_names;
    assert_eq!(sheet_names(&["YILDIZ", "Yıldız"]), ["YILDIZ", "Yıldız (2)"]);
    assert_eq!(sheet_names(&["Σ", "ς", "σ"]), ["Σ", "ς (2)", "σ (3)"]);
    assert_eq!(sheet_names(&["ﬀ", "FF", "ff"]), ["ﬀ", "FF (2)", "ff (3)"]);
    assert_eq!(sheet_names(&["i", "ı", "I"]), ["i", "ı (2)", "I (3)"]);
    // `Inputs` and `Summary` are taken the same way.
    assert_eq!(
        sheet_names(&["ınputs", "ſummary"]),
        ["ınputs (2)", "ſummary (2)"]
    );

    let scratch = temp_dir("case-mappings");
    let turk = model_file(
        &scratch,
        "turk.toml",
        &small_model("edge names", &["YILDIZ", "Yıldız"]),
    );
    let casefold = model_file(
        &scratch,
        "casefold.toml",
        &small_model("edge names", &["Σ", "ς", "i", "ı", "ﬀ", "FF"]),
    );
    let dir = compare_out(&turk, "turk");
    assert_eq!(check_against_csv(&dir), ["YILDIZ", "Yıldız (2)"]);
    let dir = compare_out(&casefold, "casefold");
    assert_eq!(
        check_against_csv(&dir),
        ["Σ", "ς (2)", "i", "ı (2)", "ﬀ", "FF (2)"]
    );
    // A spreadsheet that compares sheet names upper-cased reads each trajectory's own NPVs.
    if let Some(tool) = soffice() {
        for model in [&turk, &casefold] {
            check_recalculated_at(tool, model, "0.12", &scratch);
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Regression (helper-109): trajectory names that the workbook writer's formula parser or
/// the workbook's XML read as something else made `Summary` wrong in LibreOffice: a `"`
/// after a capital letter scrambled the formula (`'A"b'!W2` written `'"b'!W2A"b'!W2`,
/// Err:509); `BASE(2030)` was taken for Excel's BASE function (`'_xlfn.BASE(2030)'!W2`,
/// #NAME?); a sheet `_x0041_` opened as `A`, so the trajectory `A` read its numbers; and
/// `Σ` and the lunate sigma `ϲ` were two sheets LibreOffice takes for one. The sheet names
/// now avoid each, and every Summary row reads its own trajectory's NPVs.
#[test]
fn regression_names_the_formula_parser_or_the_xml_misread_give_sheets_summary_can_reach() {
    use stakeshift::report::xlsx::sheet_names;
    assert_eq!(
        sheet_names(&[
            "13\" screen",
            "A\"b",
            "BASE(2030)",
            "x SORT(base)",
            "Q3.(1)"
        ]),
        [
            "13_ screen",
            "A_b",
            "BASE (2030)",
            "x SORT (base)",
            "Q3. (1)"
        ]
    );
    assert_eq!(
        sheet_names(&["base (2030)", "f(x)"]),
        ["base (2030)", "f(x)"]
    );
    assert_eq!(
        sheet_names(&["_x0041_", "A", "__x00e9__X1234_"]),
        ["-x0041_", "A", "_-x00e9_-X1234_"]
    );
    assert_eq!(sheet_names(&["Σ", "\u{3F2}"]), ["Σ", "\u{3F2} (2)"]);
    assert_eq!(sheet_names(&["\u{3F9}", "σ"]), ["\u{3F9}", "σ (2)"]);

    let scratch = temp_dir("formula-names");
    let names = [
        "13\" screen",
        "A\"b",
        "BASE(2030)",
        "SORT(base)",
        "_x0041_",
        "A",
        "Σ",
        "\u{3F2}",
    ];
    let model = model_file(
        &scratch,
        "misread.toml",
        &small_model("misread names", &names),
    );
    let dir = compare_out(&model, "misread");
    check_against_csv(&dir);
    // Summary's formulas as written: each names its own trajectory's sheet, quoted.
    let sheets = sheet_names(&names);
    let mut book: Xlsx<_> = open_workbook(dir.join("stakeshift.xlsx")).unwrap();
    let formulas = book.worksheet_formula("Summary").unwrap();
    for (i, sheet) in sheets.iter().enumerate() {
        let f = formula_at(&formulas, i as u32 + 1, 1);
        let want = format!("'{}'!", sheet.replace('\'', "''"));
        assert!(f.starts_with(&want) && !f.contains("_xlfn"), "{sheet}: {f}");
    }
    if let Some(tool) = soffice() {
        check_recalculated_at(tool, &model, "0.12", &scratch);
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Whether every character of an XML document is one XML 1.0 allows (its `Char`
/// production), written or as a character reference (`&#xFFFF;`).
fn xml_chars_allowed(xml: &str) -> Result<(), String> {
    let allowed = |c: u32| matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF);
    if let Some(c) = xml.chars().find(|c| !allowed(u32::from(*c))) {
        return Err(format!("the character U+{:04X}", u32::from(c)));
    }
    for reference in xml.split("&#").skip(1) {
        let body = reference.split(';').next().unwrap();
        let code = match body.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16),
            None => body.parse(),
        }
        .map_err(|_| format!("a malformed character reference &#{body};"))?;
        if !allowed(code) {
            return Err(format!("the character reference &#{body};"));
        }
    }
    Ok(())
}

/// U+FFFE and U+FFFF, which XML 1.0 forbids, in a trajectory's name went raw into the sheet's
/// name in `xl/workbook.xml` (an XML attribute, which rust_xlsxwriter does not escape them
/// in), and the file was malformed. Now a sheet name has `_` for them, the document's title
/// U+FFFD; cells keep them, in the `_xFFFF_` escape.
#[test]
fn regression_xml_forbidden_characters_in_a_name_made_the_workbook_malformed() {
    let scratch = temp_dir("xml-chars-model");
    let model_text = small_model("edge\u{FFFF} names\u{FFFE}", &["a\u{FFFF}b", "c\u{FFFE}"])
        .replace("\"USD m\"", "\"USD\u{FFFF} m\"")
        .replace("\"Split\"", "\"Sp\u{FFFE}lit\"")
        .replace("\"founders\"", "\"foun\u{FFFF}ders\"");
    let model = model_file(&scratch, "ffff.toml", &model_text);
    let dir = compare_out(&model, "xml-chars");
    let workbook = dir.join("stakeshift.xlsx");

    let mut archive = zip::ZipArchive::new(std::fs::File::open(&workbook).unwrap()).unwrap();
    let mut parts = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut xml = String::new();
            entry.read_to_string(&mut xml).unwrap();
            if let Err(what) = xml_chars_allowed(&xml) {
                panic!("{name} holds {what}, which XML 1.0 does not allow");
            }
            parts += 1;
        }
    }
    assert!(parts > 5, "{parts} XML parts");

    // The sheet names, and every cell against the CSV (the names kept whole in cells).
    assert_eq!(check_against_csv(&dir), ["a_b", "c_"]);
    let mut book = Book::open(&workbook);
    let inputs = book.values("Inputs");
    assert_eq!(text(&at(&inputs, 1, 1)), "edge\u{FFFF} names\u{FFFE}");
    // The document's title (escaped as element text, but `_xFFFF_` is the escape of cells,
    // not of the document's properties) has U+FFFD for them.
    let mut core = String::new();
    zip::ZipArchive::new(std::fs::File::open(&workbook).unwrap())
        .unwrap()
        .by_name("docProps/core.xml")
        .unwrap()
        .read_to_string(&mut core)
        .unwrap();
    assert!(
        core.contains("<dc:title>edge\u{FFFD} names\u{FFFD}</dc:title>"),
        "{core}"
    );
    // And a spreadsheet opens it: LibreOffice converts it with the same sheets.
    if let Some(tool) = soffice() {
        let out = scratch.join("converted");
        std::fs::create_dir_all(&out).unwrap();
        let converted = recalculate(tool, &workbook, &out, &scratch.join("profile"));
        let book = Book::open(&converted);
        assert_eq!(book.xlsx.sheet_names(), ["Inputs", "Summary", "a_b", "c_"]);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Every cell of every sheet of the workbook at `path` that is a spreadsheet error.
fn error_cells(path: &Path) -> Vec<String> {
    let mut book = Book::open(path);
    let mut errors = Vec::new();
    for sheet in book.xlsx.sheet_names() {
        let values = book.values(&sheet);
        for (row, col, cell) in values.used_cells() {
            if let Data::Error(e) = cell {
                errors.push(format!("{sheet}!R{}C{}: {e:?}", row + 1, col + 1));
            }
        }
    }
    errors
}

/// Each sheet's column widths, in characters, by 0-based column, from the sheet's XML
/// (`<col min=".." max=".." width=".."/>`, 1-based and inclusive), the sheets in order.
fn column_widths(workbook: &Path) -> Vec<BTreeMap<u32, f64>> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(workbook).unwrap()).unwrap();
    let sheets = Book::open(workbook).xlsx.sheet_names().len();
    (1..=sheets)
        .map(|i| {
            let mut xml = String::new();
            archive
                .by_name(&format!("xl/worksheets/sheet{i}.xml"))
                .unwrap()
                .read_to_string(&mut xml)
                .unwrap();
            let attribute = |tag: &str, name: &str| -> String {
                let from = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                tag[from..].split('"').next().unwrap().to_string()
            };
            let mut columns = BTreeMap::new();
            for tag in xml.split("<col ").skip(1) {
                let tag = format!(" {}", tag.split("/>").next().unwrap());
                let min: u32 = attribute(&tag, "min").parse().unwrap();
                let max: u32 = attribute(&tag, "max").parse().unwrap();
                let width: f64 = attribute(&tag, "width").parse().unwrap();
                for col in min..=max {
                    columns.insert(col - 1, width);
                }
            }
            columns
        })
        .collect()
}

/// Every number cell had a column 14 characters wide, whatever its values: amounts of
/// trillions in a model in plain dollars (valuations of 2e13, NPVs of 3e12) showed as `###`
/// in LibreOffice and Excel (helper-234). Each column is now as wide as the largest of its
/// numbers shown: here at least its integer digits with their thousands separators and
/// sign, a decimal point and two places (the fewest an amount shows), from the cells'
/// values alone.
#[test]
fn regression_amounts_of_trillions_fit_their_columns() {
    let dir = temp_dir("wide-amounts");
    let text = std::fs::read_to_string(repo("docs/mini.toml"))
        .unwrap()
        .replace("unit = \"USD m\"", "unit = \"USD\"")
        .replace("raise = 20.0", "raise = 20000000000.0")
        .replace("participation = 2.0", "participation = 2000000000.0")
        .replace(
            "[[2024, 50.0], [2026, 200.0]]",
            "[[2024, 5000000000000.0], [2026, 20000000000000.0]]",
        );
    assert!(
        text.contains("20000000000000.0"),
        "docs/mini.toml changed: {text}"
    );
    let model = model_file(&dir, "wide.toml", &text);
    let out = compare_out(&model, "wide-amounts-out");
    let workbook = out.join("stakeshift.xlsx");
    let widths = column_widths(&workbook);
    let mut book = Book::open(&workbook);
    let mut checked = 0;
    for (i, sheet) in book.xlsx.sheet_names().into_iter().enumerate() {
        for (row, col, cell) in book.values(&sheet).used_cells() {
            let Data::Float(v) = cell else { continue };
            if v.abs() < 1e6 {
                continue;
            }
            let digits = format!("{:.0}", v.abs().trunc()).len();
            let least = digits + (digits - 1) / 3 + usize::from(*v < 0.0) + 3;
            let width = widths[i].get(&(col as u32)).copied().unwrap_or(8.43);
            assert!(
                width >= least as f64,
                "{sheet}!R{}C{}: {v} needs {least} characters, its column is {width} wide",
                row + 1,
                col + 1
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "{checked} large numbers");
}

/// The workbook `compare --out` wrote into `dir`, recalculated by LibreOffice into a folder
/// of `scratch` named for `what`, with no error cell.
fn recalculated_without_errors(tool: &str, dir: &Path, scratch: &Path, what: &str) -> PathBuf {
    let out = scratch.join(format!("{what}-recalculated"));
    std::fs::create_dir_all(&out).unwrap();
    let recalculated = recalculate(
        tool,
        &dir.join("stakeshift.xlsx"),
        &out,
        &scratch.join("profile"),
    );
    assert_eq!(error_cells(&recalculated), Vec::<String>::new(), "{what}");
    recalculated
}

/// The NPVs a trajectory's sheet holds (column W: the profit share's row, then the
/// equity's) are summary.csv's, to its printed places.
fn assert_sheet_npvs_are_summarys(
    book: &mut Book,
    sheet: &str,
    summary: &[Vec<String>],
    what: &str,
) {
    let values = book.values(sheet);
    for (r, regime) in [(1, "profit_share"), (2, "equity")] {
        let npv = number(&at(&values, r, 22));
        let printed = &summary.iter().find(|s| s[1] == regime).unwrap()[5];
        assert!(
            matches_printed(npv, printed),
            "{what} {regime}: {npv} vs {printed}"
        );
    }
}

/// The discount factor was `=1/(1+discount_rate)^(year-valuation_year)`: where (1+r)^n is
/// beyond a double (a rate of 4 over 500 years; -0.9 with the valuation year the last), the
/// power overflowed to #NUM! in a spreadsheet and with it every present value and NPV, while
/// stakeshift's NPVs were finite. `(1+discount_rate)^(valuation_year-year)` is no cure in
/// LibreOffice, whose `^` is #NUM! on underflow too;
/// `=EXP((valuation_year-year)*LN(1+discount_rate))` is the same value and underflows to 0.
#[test]
fn regression_a_discount_factor_beyond_a_double_was_a_spreadsheet_error() {
    let scratch = temp_dir("df-overflow");
    let far = r#"name = "long horizon high rate"
unit = "USD m"
start_year = 2000
end_year = 2499
valuation_year = 2000
discount_rate = 4.0

[investor]
party = "fund"
contributions = [[2000, 10.0]]

[profit_share]
residual = "founders"

[[profit_share.tiers]]
name = "Split"
shares = { fund = 0.5 }

[equity]
from_year = 2001
stake = 0.20

[[trajectories]]
name = "flat"
revenue   = { points = [[2000, 40.0]] }
margin    = { points = [[2000, 0.2]] }
valuation = { points = [[2000, 100.0]] }
"#;
    let near_minus_one = far
        .replace("valuation_year = 2000", "valuation_year = 2499")
        .replace("discount_rate = 4.0", "discount_rate = -0.9");
    for (file, text) in [
        ("dfover.toml", far.to_string()),
        ("dfunder.toml", near_minus_one),
    ] {
        let model = model_file(&scratch, file, &text);
        let dir = compare_out(&model, file);
        check_against_csv(&dir);
        let Some(tool) = soffice() else { continue };
        let recalculated = recalculated_without_errors(tool, &dir, &scratch, file);
        // The recalculated NPVs are stakeshift's.
        let (_, comparison) = read_csv(&dir.join("comparison.csv"));
        let (_, summary) = read_csv(&dir.join("summary.csv"));
        let mut book = Book::open(&recalculated);
        let values = book.values("Summary");
        for col in 1..=3 {
            let v = number(&at(&values, 1, col));
            let printed = &comparison[0][col as usize];
            assert!(
                matches_printed(v, printed),
                "{file} col {col}: {v} vs {printed}"
            );
        }
        assert_sheet_npvs_are_summarys(&mut book, "flat", &summary, file);
        let _ = std::fs::remove_dir_all(&dir);
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

/// A name longer than Excel's 32,767 characters for a cell's text (a valid model: names have
/// no limit) failed `compare --out` as a whole ("String exceeds Excel's limit"), writing no
/// file at all. Now the workbook cuts text to the limit (counted in UTF-16 units, as
/// rust_xlsxwriter counts) and the CSV files keep the whole name.
#[test]
fn regression_a_name_beyond_excels_cell_limit_failed_compare_out() {
    let scratch = temp_dir("long-name-model");
    let model_name = "M".repeat(40_000);
    let long = "L".repeat(40_000);
    // An emoji is two UTF-16 units: at unit 32,767 it does not fit and is left out whole.
    let emoji = format!("{}\u{1F600}tail", "L".repeat(32_766));
    let model = model_file(
        &scratch,
        "longname.toml",
        &small_model(&model_name, &[&long, &emoji]),
    );
    let (dir, err) = compare_out_warnings(&model, "long-name");
    // The cut is said (helper-126: it was silent): the model's name and both trajectories',
    // and the Inputs paths that hold a trajectory's name (its revenue's and valuation's
    // growth, listed for every trajectory since helper-169): 3 + 2 x 2.
    assert!(
        err.contains("warning: stakeshift.xlsx: 7 texts longer than the 32,767 characters a cell holds are cut there (the first: `MMMM"),
        "{err}"
    );
    for file in [
        "summary.csv",
        "yearly.csv",
        "comparison.csv",
        "stakeshift.xlsx",
    ] {
        assert!(dir.join(file).exists(), "{file}");
    }
    let (_, comparison) = read_csv(&dir.join("comparison.csv"));
    assert_eq!(comparison[0][0], long);
    assert_eq!(comparison[1][0], emoji);
    let (_, yearly) = read_csv(&dir.join("yearly.csv"));
    assert_eq!(yearly[0][0], long);

    let mut book = Book::open(&dir.join("stakeshift.xlsx"));
    let sheets = book.xlsx.sheet_names();
    assert_eq!(
        sheets[2..],
        ["L".repeat(31), format!("{} (2)", "L".repeat(27))]
    );
    let summary = book.values("Summary");
    assert_eq!(text(&at(&summary, 1, 0)), "L".repeat(32_767));
    assert_eq!(text(&at(&summary, 2, 0)), "L".repeat(32_766));
    let inputs = book.values("Inputs");
    assert_eq!(text(&at(&inputs, 1, 0)), "name");
    assert_eq!(text(&at(&inputs, 1, 1)), "M".repeat(32_767));
    let first = book.values(&sheets[2]);
    assert_eq!(text(&at(&first, 1, 0)), "L".repeat(32_767));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&scratch);
}

/// `Inputs` names each input by the path `--set` takes, but wrote a key that is not a bare
/// TOML key bare (`profit_share.tiers[1].shares.other guys`, where `--set` needs
/// `shares."other guys"`), a trajectory named by digits bare (`trajectories[2030]`, which
/// `--set` reads as the index 2030), and a contribution's amount under the contribution's
/// path (`investor.contributions[0]`, which `--set` takes for the `[year, amount]` pair).
/// Now every label, with the value beside it, is a `--set` that changes nothing.
#[test]
fn regression_inputs_labels_were_not_paths_set_reads() {
    let scratch = temp_dir("labels-model");
    let builtin = stakeshift::BUILTIN_MODEL;
    let mut model_text = builtin[..builtin.find("\n[simulation]").unwrap()].to_string();
    assert_eq!(model_text.matches(" others = ").count(), 2);
    model_text = model_text.replace(" others = ", " \"other guys\" = ");
    assert_eq!(model_text.matches("name = \"early-agi\"\n").count(), 1);
    model_text = model_text.replace("name = \"early-agi\"\n", "name = \"2030\"\n");
    let model = model_file(&scratch, "other-guys.toml", &model_text);
    let dir = compare_out(&model, "labels");
    check_inputs(&dir, &model_text);

    let mut book = Book::open(&dir.join("stakeshift.xlsx"));
    let inputs = book.values("Inputs");
    let mut sets = Vec::new();
    let mut labels = Vec::new();
    let mut r = 1;
    while let Data::String(label) = at(&inputs, r, 0) {
        if let Err(e) = OverridePath::parse(&label) {
            panic!("Inputs row {}: {label} is not a --set path: {e}", r + 1);
        }
        let value = match at(&inputs, r, 1) {
            Data::String(s) => toml_string(&s),
            Data::Bool(b) => b.to_string(),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            other => panic!("{label}: {other:?}"),
        };
        sets.push(format!("{label}={value}"));
        labels.push(label);
        r += 1;
    }
    for expected in [
        "profit_share.tiers[1].shares.\"other guys\"",
        "profit_share.tiers[1].until.\"other guys\"",
        "trajectories[\"2030\"].agi_year",
        "investor.contributions[0][1]",
    ] {
        assert!(
            labels.iter().any(|l| l == expected),
            "{expected}: {labels:?}"
        );
    }
    // Each label with its value is a `--set` that runs and changes nothing.
    let again = temp_dir("labels-set");
    let mut command = stakeshift();
    command.arg("compare").arg(&model).arg("--out").arg(&again);
    for set in &sets {
        command.arg("--set").arg(set);
    }
    command.assert().success();
    for file in ["comparison.csv", "summary.csv", "yearly.csv"] {
        assert_eq!(
            std::fs::read_to_string(dir.join(file)).unwrap(),
            std::fs::read_to_string(again.join(file)).unwrap(),
            "{file}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&again);
    let _ = std::fs::remove_dir_all(&scratch);
}

/// helper-126: a model whose trajectories are read from a `trajectories_csv` file gave its
/// values but not the file's name on `Inputs`; it is an input row, and `--set` with it
/// changes nothing.
#[test]
fn regression_the_trajectories_csv_file_was_not_an_input() {
    let model = repo("tests/bad/_valid_csv.toml");
    let model_text = std::fs::read_to_string(&model).unwrap();
    let dir = compare_out(&model, "csv-input");
    check_inputs(&dir, &model_text);
    let mut book = Book::open(&dir.join("stakeshift.xlsx"));
    let inputs = book.values("Inputs");
    let row = (1..)
        .take_while(|r| matches!(at(&inputs, *r, 0), Data::String(_)))
        .find(|r| text(&at(&inputs, *r, 0)) == "trajectories_csv")
        .expect("a trajectories_csv row");
    assert_eq!(text(&at(&inputs, row, 1)), "_valid_csv.csv");
    stakeshift()
        .arg("compare")
        .arg(&model)
        .args([
            "--set",
            "trajectories_csv=\"_valid_csv.csv\"",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .stdout(std::fs::read_to_string(dir.join("comparison.csv")).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

/// helper-135: MODEL says the header rows are frozen; on `Inputs` it was not. Every sheet's
/// XML now has a frozen pane.
#[test]
fn regression_the_inputs_header_was_not_frozen() {
    use std::io::Read;
    let dir = compare_out(&repo("models/msft-openai.toml"), "frozen");
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(dir.join("stakeshift.xlsx")).unwrap()).unwrap();
    let mut sheets = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        if name.starts_with("xl/worksheets/sheet") {
            let mut xml = String::new();
            entry.read_to_string(&mut xml).unwrap();
            assert!(
                xml.contains("state=\"frozen\""),
                "{name} has no frozen pane"
            );
            sheets += 1;
        }
    }
    assert_eq!(sheets, 8);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A name cut to 31 characters that ended in an apostrophe lost it after being checked
/// against the names taken, so `aaa...a'x` (30 a's) became `aaa...a`, the sheet name of an
/// earlier trajectory `aaa...a`, and the workbook, with the whole of `compare --out`, failed
/// ("Worksheet name ... has already been used"). The apostrophe was then dropped first;
/// since helper-290 an apostrophe inside a name is `’` (Gnumeric reads no doubled one), so
/// the cut keeps it as `’`, a name of its own.
#[test]
fn regression_a_name_cut_before_an_apostrophe_took_a_sheet_name_already_taken() {
    use stakeshift::report::xlsx::sheet_names;
    let a30 = "a".repeat(30);
    let quoted = format!("{a30}'x");
    assert_eq!(
        sheet_names(&[&a30, &quoted]),
        [a30.clone(), format!("{a30}\u{2019}")]
    );
    // Two apostrophes at the cut: the same.
    assert_eq!(
        sheet_names(&[&a30, &format!("{a30}''x")]),
        [a30.clone(), format!("{a30}\u{2019}")]
    );
    let scratch = temp_dir("apostrophe-model");
    let model = model_file(
        &scratch,
        "apostrophe.toml",
        &small_model("x", &[&a30, &quoted]),
    );
    let dir = compare_out(&model, "apostrophe");
    check_against_csv(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&scratch);
}

/// The built-in model's workbook built both ways: in memory, and (as a workbook above
/// `LOW_MEMORY_CELLS` is) with its trajectory sheets in low-memory mode, written row by row
/// with the NPV block beside rows 2 and 3. Each is checked cell by cell against the CSVs.
fn both_workbooks(name: &str) -> (PathBuf, Vec<u8>, Vec<u8>) {
    let dir = compare_out(&repo("models/msft-openai.toml"), name);
    let loaded = stakeshift::io::load_model(Some(&repo("models/msft-openai.toml"))).unwrap();
    let comparison = stakeshift::compare::compare(&loaded.model, None).unwrap();
    let render = |cells: usize, tempdir: Option<&Path>| {
        stakeshift::report::xlsx::render_with(&loaded.model, &comparison, &[], cells, tempdir)
            .unwrap()
    };
    (dir, render(0, None), render(usize::MAX, None))
}

#[test]
fn low_memory_trajectory_sheets_hold_the_same_cells() {
    let (dir, low, in_memory) = both_workbooks("low-memory");
    // `compare --out` wrote the in-memory one (the built-in model is small).
    assert_eq!(
        std::fs::read(dir.join("stakeshift.xlsx")).unwrap(),
        in_memory
    );
    // The low-memory build numbers its styles in another order: it did run.
    assert_ne!(low, in_memory);
    std::fs::write(dir.join("stakeshift.xlsx"), &low).unwrap();
    let sheets = check_against_csv(&dir);
    assert_eq!(sheets.len(), 6);
    check_inputs(
        &dir,
        &std::fs::read_to_string(repo("models/msft-openai.toml")).unwrap(),
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Where no temporary file can be made (here a directory that does not exist), a workbook
/// large enough for low-memory mode failed with "Temporary file error"; it is built in
/// memory instead: the very bytes of the in-memory build.
#[test]
fn regression_without_a_writable_temporary_directory_the_workbook_is_still_written() {
    let (dir, _, in_memory) = both_workbooks("no-tmpdir");
    let loaded = stakeshift::io::load_model(Some(&repo("models/msft-openai.toml"))).unwrap();
    let comparison = stakeshift::compare::compare(&loaded.model, None).unwrap();
    let missing = dir.join("does-not-exist");
    let fallback =
        stakeshift::report::xlsx::render_with(&loaded.model, &comparison, &[], 0, Some(&missing))
            .unwrap();
    assert_eq!(fallback, in_memory);
    let _ = std::fs::remove_dir_all(&dir);
}

/// helper-130: a name just under a cell's 32,767 characters fits, but the Inputs path that
/// holds it (`trajectories[NAME].agi_year`) does not, and was cut without a word.
#[test]
fn regression_an_inputs_path_cut_at_the_cell_limit_is_warned_of() {
    let scratch = temp_dir("long-path-model");
    let text = std::fs::read_to_string(repo("docs/mini.toml"))
        .unwrap()
        .replace(
            "name = \"only\"",
            &format!("name = \"{}\"\nagi_year = 2026", "N".repeat(32_760)),
        );
    let model = model_file(&scratch, "longpath.toml", &text);
    let (dir, err) = compare_out_warnings(&model, "long-path");
    // Its agi_year's path, and its revenue's and valuation's growth's.
    assert!(
        err.contains("warning: stakeshift.xlsx: 3 texts longer than the 32,767 characters a cell holds are cut there (the first: `trajectories[NNN"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// helper-131: the cut warning counted a description, which the workbook does not hold, and
/// a text two names share twice.
#[test]
fn regression_the_cut_warning_counts_each_text_the_workbook_holds_once() {
    let scratch = temp_dir("cut-count-model");
    let long = "Q".repeat(40_000);
    let text = std::fs::read_to_string(repo("docs/mini.toml"))
        .unwrap()
        .replace(
            "name = \"Mini: a 3-year deal\"",
            &format!("name = \"{long}\""),
        )
        .replace(
            "name = \"only\"",
            &format!(
                "name = \"{long}\"\ndescription = \"{}\"",
                "D".repeat(40_000)
            ),
        );
    let model = model_file(&scratch, "cutcount.toml", &text);
    let (dir, err) = compare_out_warnings(&model, "cut-count");
    let _ = std::fs::remove_dir_all(&dir);
    // The name, once, and the paths of the trajectory's revenue and valuation growth.
    assert!(
        err.contains("warning: stakeshift.xlsx: 3 texts longer than the 32,767 characters a cell holds are cut there (the first: `QQQQ"),
        "{err}"
    );
}

/// helper-153's small deal (docs/mini.toml in USD bn: NPVs 0.0077 and 0.0222) showed 0.00
/// and 0.01 in the workbook as in the table. Its amounts now show the places of `compare`'s
/// table (four here); the built-in model's keep two. (Only the look: the cells hold every
/// digit either way.)
#[test]
fn regression_a_small_deals_workbook_shows_its_amounts_not_zeros() {
    let scratch = temp_dir("small-deal-workbook");
    let mini = std::fs::read_to_string(repo("docs/mini.toml")).unwrap();
    let bn = mini
        .replace("\"USD m\"", "\"USD bn\"")
        .replace("[[2024, 10.0]]", "[[2024, 0.010]]")
        .replace("fund = 13.0", "fund = 0.013")
        .replace("fund = 20.0", "fund = 0.020")
        .replace("raise = 20.0", "raise = 0.020")
        .replace("participation = 2.0", "participation = 0.002")
        .replace(
            "[2024, 40.0], [2025, 80.0], [2026, 100.0]",
            "[2024, 0.040], [2025, 0.080], [2026, 0.100]",
        )
        .replace(
            "[2024, 50.0], [2026, 200.0]",
            "[2024, 0.050], [2026, 0.200]",
        );
    let styles = |model: &Path, name: &str| -> String {
        let dir = compare_out(model, name);
        let mut xml = String::new();
        zip::ZipArchive::new(std::fs::File::open(dir.join("stakeshift.xlsx")).unwrap())
            .unwrap()
            .by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    };
    let small = styles(&model_file(&scratch, "bn.toml", &bn), "small-deal-bn");
    assert!(small.contains(r##"formatCode="#,##0.0000""##), "{small}");
    let builtin = styles(&repo("models/msft-openai.toml"), "small-deal-builtin");
    assert!(builtin.contains(r##"formatCode="#,##0.00""##), "{builtin}");
    assert!(!builtin.contains(r##"formatCode="#,##0.000"##), "{builtin}");
}

/// helper-259: the discount factor as EXP of its logarithm rounds by about |n ln(1+r)|
/// units in the last place, so a rate of 3 made 4^5 = 1024 not quite 1024, and flows of
/// 2.5e20 that cancel gave a recalculated profit-share NPV of -65,535.999998 where
/// stakeshift's is 0.000002. The power itself, exact there, is taken where it is well
/// inside a double (EXP beyond, for the factors a double cannot hold: the test above).
#[test]
fn regression_a_recalculated_discount_factor_is_the_exact_power_where_it_can_be() {
    let scratch = temp_dir("df-exact-power");
    let model = repo("tests/hand/breakeven_beside_large_flows_that_cancel.toml");
    let dir = compare_out(&model, "df-exact-power");
    check_against_csv(&dir);
    let Some(tool) = soffice() else {
        return;
    };
    let recalculated = recalculated_without_errors(tool, &dir, &scratch, "cancelling flows");
    let (_, summary) = read_csv(&dir.join("summary.csv"));
    let mut book = Book::open(&recalculated);
    assert_sheet_npvs_are_summarys(&mut book, "t", &summary, "cancelling flows");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&scratch);
}
