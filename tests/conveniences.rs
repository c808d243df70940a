//! Shell completions and manual pages: produced for every shell, naming every subcommand the
//! binary has (read from its own `--help`, so a new subcommand is covered without editing
//! this file), and well-formed where the machine has the tool to check them.

use crate::common;

use common::stakeshift;

fn stdout_of(args: &[&str]) -> String {
    let out = stakeshift()
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8(out.stdout).unwrap()
}

/// The subcommands listed under `Commands:` in `stakeshift --help`, less clap's `help`.
fn subcommands() -> Vec<String> {
    let help = stdout_of(&["--help"]);
    let listed: Vec<String> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect();
    for known in ["compare", "chart", "check", "init", "completions", "man"] {
        assert!(
            listed.iter().any(|n| n == known),
            "{known} not in --help:\n{help}"
        );
    }
    listed
}

fn on_path(tool: &str) -> bool {
    std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn every_shell_gets_a_script_that_names_every_subcommand() {
    let commands = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.len() > 1000, "{shell}: {script}");
        for command in &commands {
            assert!(
                script.contains(command.as_str()),
                "{shell} script lacks {command}"
            );
        }
        // Options of a subcommand are completed too, not only the names (fish spells a
        // long option `-l trajectory`).
        assert!(
            script.contains("--trajectory") || script.contains("-l trajectory"),
            "{shell} lacks --trajectory"
        );
    }
}

#[test]
fn completion_scripts_parse_in_the_shells_present() {
    for (shell, checker, flag) in [
        ("bash", "bash", "-n"),
        ("zsh", "zsh", "-n"),
        ("fish", "fish", "-n"),
    ] {
        if !on_path(checker) {
            println!("skipped: {checker} is not on PATH, its script is not syntax-checked");
            continue;
        }
        let script = stdout_of(&["completions", shell]);
        let file = std::env::temp_dir().join(format!(
            "stakeshift-completion-{}.{shell}",
            std::process::id()
        ));
        std::fs::write(&file, &script).unwrap();
        let status = std::process::Command::new(checker)
            .arg(flag)
            .arg(&file)
            .output()
            .unwrap();
        let _ = std::fs::remove_file(&file);
        assert!(
            status.status.success(),
            "{shell}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    }
}

/// helper-289: fish's script offered file names for `stakeshift completions <TAB>` (bash
/// and zsh offer the shells) and nothing for `stakeshift help <TAB>` (its condition counted
/// `help` as a subcommand already given). Asked of fish itself where it is installed; the
/// script's lines otherwise.
#[test]
fn regression_fish_completes_the_shells_the_pages_and_help() {
    let script = stdout_of(&["completions", "fish"]);
    assert!(script.contains(
        "complete -c stakeshift -n \"__fish_stakeshift_using_subcommand completions; and not __fish_seen_subcommand_from bash elvish fish powershell zsh\" -f -a \"bash elvish fish powershell zsh\"\n"
    ));
    assert!(
        !script.contains(" man schema help\""),
        "help's condition is unmended"
    );
    if !on_path("fish") {
        println!("skipped: fish is not on PATH, so its completions are read, not asked");
        return;
    }
    let file = std::env::temp_dir().join(format!("stakeshift-fish-{}.fish", std::process::id()));
    std::fs::write(&file, &script).unwrap();
    let ask = |line: &str| {
        let out = std::process::Command::new("fish")
            .arg("--no-config")
            .arg("-c")
            .arg(format!("source {}; complete -C'{line}'", file.display()))
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout).into_owned();
        said.lines()
            .map(|l| l.split('\t').next().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ask("stakeshift completions "),
        ["bash", "elvish", "fish", "powershell", "zsh"]
    );
    assert_eq!(ask("stakeshift help co"), ["compare", "completions"]);
    assert_eq!(ask("stakeshift man sw"), ["sweep"]);
    // Once given, not offered again (helper-291).
    assert!(!ask("stakeshift completions fish ").contains(&"zsh".to_string()));
    let _ = std::fs::remove_file(&file);
}

#[test]
fn an_unknown_shell_is_bad_usage() {
    stakeshift().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn the_man_page_has_a_title_and_lists_every_subcommand() {
    let page = stdout_of(&["man"]);
    assert!(
        page.lines().any(|l| l.starts_with(".TH stakeshift 1 ")),
        "{page}"
    );
    // helper-289: the date left out, the source stood in its place (`.TH stakeshift 1
    // "stakeshift 0.1.0" "stakeshift manual"`); session 47: an empty date, mandoc warned
    // "missing date". The date, an ISO one, then the source and the manual.
    let version = env!("CARGO_PKG_VERSION");
    let title = page
        .lines()
        .find(|l| l.starts_with(".TH stakeshift 1 "))
        .unwrap_or_else(|| panic!("{page}"));
    let date = title
        .strip_prefix(".TH stakeshift 1 ")
        .and_then(|rest| rest.split_once(' '))
        .map(|(date, _)| date)
        .unwrap();
    assert!(
        date.len() == 10
            && date.chars().enumerate().all(|(i, c)| if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }),
        "{title}"
    );
    assert!(
        title.ends_with(&format!(
            " {date} \"stakeshift {version}\" \"stakeshift manual\""
        )),
        "{title}"
    );
    assert!(
        page.contains(".SH NAME") && page.contains(".SH SYNOPSIS"),
        "{page}"
    );
    for command in subcommands() {
        // roff escapes the hyphen.
        let reference = format!("stakeshift\\-{command}(1)");
        assert!(page.contains(&reference), "no {reference} in:\n{page}");
        let sub = stdout_of(&["man", &command]);
        assert!(
            sub.lines()
                .any(|l| l.starts_with(&format!(".TH stakeshift-{command} 1 "))),
            "{sub}"
        );
    }
    let compare = stdout_of(&["man", "compare"]);
    for option in [
        "\\-\\-trajectory",
        "\\-\\-format",
        "\\-\\-yearly",
        "\\-\\-out",
    ] {
        assert!(compare.contains(option), "compare page lacks {option}");
    }
    stakeshift().args(["man", "frobnicate"]).assert().code(2);
}

/// helper-210: the examples were running text under EXTRA, so `man` refilled them and
/// wrapped one example's columns into the next.
#[test]
fn regression_the_man_page_keeps_its_examples_line_for_line() {
    let page = stdout_of(&["man"]);
    assert!(!page.contains(".SH EXTRA"), "{page}");
    let examples = page
        .split(".SH EXAMPLES\n.nf\n")
        .nth(1)
        .and_then(|rest| rest.split(".fi\n").next())
        .unwrap_or_else(|| panic!("no preformatted EXAMPLES in:\n{page}"));
    // Every line an example, each option's hyphens escaped so they paste as typed.
    let lines: Vec<&str> = examples.lines().collect();
    assert!(lines.len() >= 5, "{examples}");
    for line in lines {
        assert!(line.trim_start().starts_with("stakeshift "), "{line}");
        assert!(!line.contains(" --") && !line.contains(" -t"), "{line}");
    }
    assert!(
        page.contains(".SH \"EXIT STATUS\"\n0 success, 2 bad usage"),
        "{page}"
    );
}

#[test]
fn man_out_writes_every_page_and_groff_reads_them_without_warnings() {
    let dir = common::ScratchDir::new("man");
    stakeshift()
        .args(["man", "--out"])
        .arg(&dir)
        .assert()
        .success();
    let mut pages = vec!["stakeshift.1".to_string()];
    pages.extend(subcommands().iter().map(|c| format!("stakeshift-{c}.1")));
    for page in &pages {
        let path = dir.join(page);
        let roff = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{page}: {e}"));
        // The file is the page `man COMMAND` prints.
        let mut args = vec!["man"];
        args.extend(
            page.strip_prefix("stakeshift-")
                .map(|p| p.trim_end_matches(".1")),
        );
        assert_eq!(roff, stdout_of(&args), "{page}");
        if on_path("groff") {
            let out = std::process::Command::new("groff")
                .args(["-man", "-Tutf8", "-ww", "-z"])
                .arg(&path)
                .output()
                .unwrap();
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "{page}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        } else {
            println!("skipped: groff is not on PATH, {page} is not typeset");
        }
        // mandoc's lint: nothing above its style notes (line lengths, the title's case).
        if on_path("mandoc") {
            let out = std::process::Command::new("mandoc")
                .args(["-T", "lint", "-W", "warning"])
                .arg(&path)
                .output()
                .unwrap();
            let said = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            assert!(said.trim().is_empty(), "{page}: {said}");
        } else {
            println!("skipped: mandoc is not on PATH, {page} is not linted");
        }
    }
}
