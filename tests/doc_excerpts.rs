//! The excerpts in README.md and docs/*.md are what the binary prints, so they cannot go
//! stale: each fenced block that follows a marker is compared with what its command prints.
//!
//! Two markers, each an HTML comment on the line right before the block's opening fence
//! (a blank line between them is allowed):
//!
//! - `<!-- output: COMMAND -->`: the block is the stdout of `sh -c 'COMMAND'`, run from the
//!   repository's root with this build's `stakeshift` first on the PATH. COMMAND is what a
//!   reader would type, e.g. `stakeshift compare | grep -v '^  '` or
//!   `cd docs && stakeshift check mini.toml` (add `2>&1` to show an error).
//! - `<!-- file: PATH -->`: the block is the text of the file PATH (from the root), e.g. the
//!   example model that later commands run.
//!
//! When an output is meant to change, regenerate every marked block with
//!     STAKESHIFT_BLESS=1 cargo test --release --test suite doc_excerpts
//! and review the diff.

use crate::common;

use std::path::PathBuf;
use std::process::Command;

const BLESS_HINT: &str = "if the change is meant, run `STAKESHIFT_BLESS=1 cargo test --release --test suite doc_excerpts` and review the diff";

fn bless() -> bool {
    std::env::var("STAKESHIFT_BLESS").is_ok_and(|v| v == "1")
}

/// What a marker asks the block to be.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    Output(String),
    File(String),
}

/// A marked block: its source, and the line range of its contents (between the fences,
/// 0-based, end exclusive).
#[derive(Debug)]
struct Excerpt {
    source: Source,
    marker_line: usize,
    body: std::ops::Range<usize>,
}

fn parse_marker(line: &str) -> Option<Source> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    if let Some(command) = inner.strip_prefix("output:") {
        Some(Source::Output(command.trim().to_string()))
    } else {
        inner
            .strip_prefix("file:")
            .map(|path| Source::File(path.trim().to_string()))
    }
}

/// Finds every marked block of a Markdown text; a marker without a block is an error.
fn excerpts(text: &str) -> Result<Vec<Excerpt>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(source) = parse_marker(lines[i]) else {
            i += 1;
            continue;
        };
        let marker_line = i;
        let mut open = i + 1;
        while open < lines.len() && lines[open].trim().is_empty() {
            open += 1;
        }
        if open >= lines.len() || !lines[open].starts_with("```") {
            return Err(format!(
                "line {}: the marker is not followed by a fenced block",
                marker_line + 1
            ));
        }
        let close = (open + 1..lines.len())
            .find(|&j| lines[j].trim_end() == "```")
            .ok_or_else(|| format!("line {}: the block is never closed", open + 1))?;
        found.push(Excerpt {
            source,
            marker_line,
            body: open + 1..close,
        });
        i = close + 1;
    }
    Ok(found)
}

/// The directory of this build's `stakeshift` binary, to put first on the PATH.
fn bin_dir() -> PathBuf {
    let bin = assert_cmd::cargo::cargo_bin("stakeshift");
    bin.parent()
        .expect("the binary has a directory")
        .to_path_buf()
}

/// What a block should hold: the command's stdout, or the file's text, as lines joined by
/// LF, without a last newline (the closing fence stands for it).
fn expected(source: &Source) -> Result<String, String> {
    let root = common::repo_path("");
    let text = match source {
        Source::File(path) => std::fs::read_to_string(root.join(path))
            .map_err(|e| format!("cannot read {path}: {e}"))?,
        Source::Output(command) => {
            let path = std::env::join_paths(std::iter::once(bin_dir()).chain(
                std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
            ))
            .map_err(|e| format!("cannot build a PATH: {e}"))?;
            let out = Command::new("sh")
                .arg("-c")
                .arg(command)
                .current_dir(&root)
                .env("PATH", path)
                .env_remove("RUST_BACKTRACE")
                .output()
                .map_err(|e| format!("cannot run `sh -c {command:?}`: {e}"))?;
            if out.stdout.is_empty() {
                return Err(format!(
                    "`{command}` printed nothing on stdout (stderr: {})",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            String::from_utf8(out.stdout).map_err(|_| format!("`{command}` printed non-UTF-8"))?
        }
    };
    // CSV rows end in CRLF; a Markdown block's lines in LF.
    Ok(text.lines().collect::<Vec<_>>().join("\n"))
}

fn documents() -> Vec<PathBuf> {
    let mut docs = vec![common::repo_path("README.md")];
    let dir = common::repo_path("docs");
    let mut more: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

/// The first line where two texts differ, shown side by side.
fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let n = w.len().max(g.len());
    for i in 0..n {
        let (a, b) = (w.get(i).copied(), g.get(i).copied());
        if a != b {
            return format!(
                "first difference at line {} of the block:\n    doc:    {}\n    binary: {}",
                i + 1,
                a.unwrap_or("(no line)"),
                b.unwrap_or("(no line)")
            );
        }
    }
    "the texts differ only in line endings".into()
}

#[test]
fn every_marked_excerpt_is_what_the_binary_prints() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for doc in documents() {
        let name = doc
            .strip_prefix(common::repo_path(""))
            .unwrap_or(&doc)
            .display()
            .to_string();
        let text = std::fs::read_to_string(&doc).expect("a readable document");
        let found = match excerpts(&text) {
            Ok(found) => found,
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut changed = false;
        // From the last block up, so that rewriting one keeps the line numbers of the others.
        for excerpt in found.iter().rev() {
            checked += 1;
            let want = match expected(&excerpt.source) {
                Ok(want) => want,
                Err(e) => {
                    problems.push(format!("{name}:{}: {e}", excerpt.marker_line + 1));
                    continue;
                }
            };
            let have = lines[excerpt.body.clone()].join("\n");
            if have == want {
                continue;
            }
            if bless() {
                lines.splice(excerpt.body.clone(), want.lines().map(str::to_string));
                changed = true;
            } else {
                problems.push(format!(
                    "{name}:{}: the block after {:?} is stale; {}",
                    excerpt.marker_line + 1,
                    excerpt.source,
                    first_difference(&have, &want)
                ));
            }
        }
        if changed {
            let mut out = lines.join("\n");
            out.push('\n');
            std::fs::write(&doc, out).expect("the document is writable");
        }
    }
    assert!(
        checked >= 5,
        "only {checked} marked excerpts found; the markers went missing"
    );
    assert!(
        problems.is_empty(),
        "{} stale or broken excerpt(s):\n{}\n{BLESS_HINT}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn markers_are_found_and_a_marker_without_a_block_is_an_error() {
    let text = "a\n<!-- output: stakeshift check -->\n\n```text\nx\ny\n```\n<!-- file: m.toml -->\n```toml\n```\n";
    let found = excerpts(text).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].source, Source::Output("stakeshift check".into()));
    assert_eq!(found[0].body, 4..6);
    assert_eq!(found[1].source, Source::File("m.toml".into()));
    assert_eq!(found[1].body, 9..9);
    assert!(excerpts("<!-- output: stakeshift -->\nprose\n").is_err());
    assert!(excerpts("<!-- output: stakeshift -->\n```\nnever closed\n").is_err());
    // An ordinary comment is not a marker.
    assert!(
        excerpts("<!-- a note -->\n```\nx\n```\n")
            .unwrap()
            .is_empty()
    );
}
