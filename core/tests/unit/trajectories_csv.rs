//! Trajectories read from a CSV file (SPEC 1's `trajectories_csv`): columns, years and the
//! errors that name the file's line.

use std::collections::HashSet;

use rust_decimal::Decimal;
use stakeshift_core::model::*;

#[test]
fn reads_rows_in_any_column_order_and_ignores_years_outside() {
    let text = "year,trajectory,revenue,profit,valuation\n2019,a,1,-0.5,10\n2020,a,2.25,0.1,12\n2021,a,9,9,9\n";
    let t = parse_trajectories_csv(text, 2019, 2020, 100).unwrap();
    assert_eq!(t.len(), 1);
    let TrajectorySource::Table {
        revenue, profit, ..
    } = &t[0].source
    else {
        panic!("expected a table")
    };
    assert_eq!(revenue, &vec![Decimal::ONE, Decimal::new(225, 2)]);
    assert_eq!(profit[0], Decimal::new(-5, 1));
}

#[test]
fn a_gap_a_repeat_and_a_bad_cell_name_their_line() {
    let gap = "trajectory,year,revenue,profit,valuation\na,2019,1,1,1\na,2021,1,1,1\n";
    assert!(
        parse_trajectories_csv(gap, 2019, 2021, 100)
            .unwrap_err()
            .contains("no row for 2020")
    );
    let twice = "trajectory,year,revenue,profit,valuation\na,2019,1,1,1\na,2019,1,1,1\n";
    assert!(
        parse_trajectories_csv(twice, 2019, 2019, 100)
            .unwrap_err()
            .contains("line 3")
    );
    let bad = "trajectory,year,revenue,profit,valuation\na,2019,x,1,1\n";
    assert!(
        parse_trajectories_csv(bad, 2019, 2019, 100)
            .unwrap_err()
            .contains("line 2")
    );
}

/// helper-38's find: with CRLF line ends (RFC 4180's, and Excel's) every error named the
/// line before the bad row (a bad first row was "line 1", the header). The same rows with
/// LF, CRLF, a blank line and a quoted cell spanning two lines name the right line.
#[test]
fn regression_errors_name_the_right_line_with_crlf() {
    let rows = [
        "trajectory,year,revenue,profit,valuation",
        "a,2020,1,1,1",
        "a,2021,1,1,1",
        "a,2022,abc,1,1",
    ];
    // (And a CR alone, old Mac files: every error was "line 1".)
    for end in ["\n", "\r\n", "\r"] {
        let text = rows.join(end) + end;
        let e = parse_trajectories_csv(&text, 2020, 2022, 100).unwrap_err();
        assert!(e.starts_with("line 4: the revenue `abc`"), "{end:?}: {e}");
        // The first row bad: line 2, not the header's 1.
        let text = [rows[0], "a,2020,-1,1,1"].join(end) + end;
        let e = parse_trajectories_csv(&text, 2020, 2020, 100).unwrap_err();
        assert!(
            e.starts_with("line 2: the revenue -1 is negative"),
            "{end:?}: {e}"
        );
        // A blank line and a quoted cell over two lines before the bad row (a number's: a
        // name with a line end in it is refused itself).
        let text = [
            rows[0],
            "a,2020,1,1,1",
            "",
            &format!("b,2020,1,1,\"1{end}\""),
            "a,2021,x,1,1",
        ]
        .join(end)
            + end;
        let e = parse_trajectories_csv(&text, 2020, 2021, 100).unwrap_err();
        assert!(e.starts_with("line 6: the revenue `x`"), "{end:?}: {e}");
        // A row with a cell too many says so in cells, on its line.
        let text = [rows[0], "a,2020,1,1,1", "a,2021,1,1,1,9"].join(end) + end;
        let e = parse_trajectories_csv(&text, 2020, 2021, 100).unwrap_err();
        assert!(
            e.starts_with("line 3: the row has 6 cells, the header 5"),
            "{end:?}: {e}"
        );
    }
}

/// helper-39's find: a cell of 37 significant digits was taken (rounded) though the same
/// number in the model file is refused, and a 40-digit integer was "not a number". The
/// CSV's numbers are now read as the model file's: never rounded, at most 1e18.
#[test]
fn regression_csv_numbers_are_read_as_the_model_files_are() {
    let with_profit =
        |profit: &str| format!("trajectory,year,revenue,profit,valuation\na,2020,1,{profit},1\n");
    let e = parse_trajectories_csv(
        &with_profit("0.1000000000000000000000000000000000001"),
        2020,
        2020,
        100,
    )
    .unwrap_err();
    assert!(e.contains("has more than 28 significant digits"), "{e}");
    let e =
        parse_trajectories_csv(&with_profit(&"1234567890".repeat(4)), 2020, 2020, 100).unwrap_err();
    assert!(
        e.contains("is too large; numbers in a model must be at most 1e18"),
        "{e}"
    );
    let e = parse_trajectories_csv(&with_profit("1e-30"), 2020, 2020, 100).unwrap_err();
    assert!(e.contains("beyond the 28th decimal place"), "{e}");
    for bad in ["twelve", "+-0.5", "++1", "1_000"] {
        let e = parse_trajectories_csv(&with_profit(bad), 2020, 2020, 100).unwrap_err();
        assert!(
            e.contains("is not a number (write it like 12.5"),
            "{bad}: {e}"
        );
    }
    // Written in any of the ways a number is: the same values.
    for (written, value) in [
        ("+2.50", "2.50"),
        ("-1e3", "-1000"),
        ("0.1000000000000000000000000000", "0.1"),
        (".5", "0.5"),
    ] {
        let t = parse_trajectories_csv(&with_profit(written), 2020, 2020, 100).unwrap();
        let TrajectorySource::Table { profit, .. } = &t[0].source else {
            panic!("expected a table")
        };
        assert_eq!(profit[0], value.parse::<Decimal>().unwrap(), "{written}");
    }
}

/// helper-39: rows for years outside the model's were ignored in silence (a mistyped year
/// vanished). They are still ignored, and counted with the first one's line and year, for
/// a warning.
#[test]
fn rows_outside_the_models_years_are_counted() {
    let text = "trajectory,year,revenue,profit,valuation\na,2019,1,1,1\na,2020,1,1,1\na,2201,1,1,1\nb,2020,1,1,1\n";
    let (table, outside) = read_trajectories_csv(text, 2020, 2020, 100, &HashSet::new()).unwrap();
    assert_eq!(table.len(), 2);
    assert_eq!(
        outside,
        Some(RowsOutside {
            rows: 2,
            first_line: 2,
            first_year: 2019
        })
    );
    // Every row inside: nothing to tell.
    let inside = "trajectory,year,revenue,profit,valuation\na,2020,1,1,1\na,2021,1,1,1\n";
    let (table, none) = read_trajectories_csv(inside, 2020, 2021, 100, &HashSet::new()).unwrap();
    assert_eq!((table.len(), none), (1, None));
}

/// Regression: each unread column was looked up in the list of those seen before, so a
/// header of 100,000 names (1.8 MB) took 13 s to check and a million would take half an
/// hour. Now linear: 200,000 distinct names, each given twice, are listed once each in
/// the header's order (quadratic, this test alone would run for minutes).
#[test]
fn regression_a_header_of_many_unread_columns_is_read_in_linear_time() {
    let names: Vec<String> = (0..200_000).map(|i| format!("x{i}")).collect();
    let mut header = String::from("trajectory,year,revenue,profit,valuation");
    for name in names.iter().chain(&names) {
        header.push(',');
        header.push_str(name);
    }
    header.push('\n');
    assert_eq!(unread_columns(&header), names);
}

/// Regression (helper-95): columns not read were ignored without a word (a misspelt
/// `cloud_spnd` left the compute spend at 0), and a column named twice used the first.
#[test]
fn unread_columns_are_listed_and_a_column_named_twice_is_refused() {
    let text = "Trajectory,year,revenue,profit,valuation,cloud_spnd,notes\na,2020,1,1,1,1,x\n";
    assert_eq!(unread_columns(text), ["cloud_spnd", "notes"]);
    assert!(unread_columns("trajectory,year,revenue,profit,valuation,CLOUD_SPEND\n").is_empty());
    // A trailing comma's unnamed column is no slip; a name repeated is listed once.
    assert!(unread_columns("trajectory,year,revenue,profit,valuation,\n").is_empty());
    assert_eq!(
        unread_columns("trajectory,year,revenue,profit,valuation,notes,notes\n"),
        ["notes"]
    );
    let twice = "trajectory,year,revenue,profit,valuation,Revenue\na,2020,1,1,1,2\n";
    let e = parse_trajectories_csv(twice, 2020, 2020, 100).unwrap_err();
    assert_eq!(
        e,
        "line 1: the header names `revenue` twice (columns 3 and 6); name each column once"
    );
}

/// helper-236: an empty file was "line 1: the header has no `trajectory` column". It is
/// said to be empty, with the header it needs; so is one of blank lines or a BOM alone.
#[test]
fn regression_an_empty_file_is_said_to_be_empty() {
    for text in ["", "\n\n", "\u{feff}", "  \r\n"] {
        let e = parse_trajectories_csv(text, 2020, 2020, 100).unwrap_err();
        assert!(
            e.starts_with(
                "the file is empty; it needs a header row, trajectory,year,revenue,profit,valuation"
            ),
            "{text:?}: {e}"
        );
    }
    // A header alone is no empty file.
    let e = parse_trajectories_csv("year,revenue\n", 2020, 2020, 100).unwrap_err();
    assert!(e.contains("the header has no `trajectory` column"), "{e}");
}

/// helper-236: a NUL in one row's name (`c\0` among the rows of `c`) was told as a gap in
/// `c`'s years; the name is refused on its own line, quoted with the character escaped.
#[test]
fn regression_a_control_character_in_a_name_is_refused_on_its_line() {
    let text =
        "trajectory,year,revenue,profit,valuation\nc,2020,1,1,1\nc\0,2021,1,1,1\nc,2022,1,1,1\n";
    let e = parse_trajectories_csv(text, 2020, 2022, 100).unwrap_err();
    assert!(
        e.starts_with("line 3: the trajectory name \"c\\u{0}\" holds the control character U+0000"),
        "{e}"
    );
    // helper-240: a bidirectional mark and a line separator are called what they are, not
    // control characters.
    for (c, called) in [
        ('\u{202e}', "the bidirectional formatting character U+202E"),
        ('\u{2028}', "the line separator U+2028"),
    ] {
        let text = format!("trajectory,year,revenue,profit,valuation\nc{c}d,2020,1,1,1\n");
        let e = parse_trajectories_csv(&text, 2020, 2020, 100).unwrap_err();
        assert!(e.contains(&format!("holds {called};")), "{e}");
    }
    // An escape sequence in every row's name: the first row's line, nothing raw.
    let text = "trajectory,year,revenue,profit,valuation\nx\u{1b}]0;t\u{7},2020,1,1,1\n";
    let e = parse_trajectories_csv(text, 2020, 2020, 100).unwrap_err();
    assert!(e.starts_with("line 2: the trajectory name"), "{e}");
    assert!(
        e.contains("U+001B") && !e.chars().any(char::is_control),
        "{e:?}"
    );
}

/// helper-266: a CSV trajectory named as one of the model file's was refused after the file
/// was read, without a line; it is now refused on its first row (a name's rows are its
/// trajectory's, those outside the model's years too: a name with only those has a gap).
#[test]
fn regression_a_name_taken_by_the_model_file_is_refused_on_its_line() {
    let taken = HashSet::from(["base".to_string()]);
    let text = "trajectory,year,revenue,profit,valuation\nbear,2020,1,0,1\nbase,2020,1,0,1\n";
    assert_eq!(
        read_trajectories_csv(text, 2020, 2020, 100, &taken).unwrap_err(),
        "line 3: trajectory `base` has the name of a trajectory of the model file; names must be unique"
    );
    let (table, _) = read_trajectories_csv(text, 2020, 2020, 100, &HashSet::new()).unwrap();
    assert_eq!(table.len(), 2);
}
