//! Snapshots of the text a reader sees: the comparison table and `check`'s description, for
//! the built-in model and the second example. A change to these is a change to what users
//! read: review it (`cargo insta review`) rather than accept it blindly.

use crate::common;

fn run(args: &[&str]) -> String {
    let out = common::stakeshift().args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn table_of_the_builtin_model() {
    insta::assert_snapshot!(run(&["compare"]));
}

#[test]
fn yearly_table_of_one_trajectory() {
    insta::assert_snapshot!(run(&["compare", "-t", "base", "--yearly"]));
}

#[test]
fn table_of_the_revenue_note_example() {
    insta::assert_snapshot!(run(&["compare", "models/revenue-note-vs-safe.toml"]));
}

#[test]
fn check_describes_the_builtin_model() {
    insta::assert_snapshot!(run(&["check", "models/msft-openai.toml"]));
}
