//! Reading and validating model files (SPEC 1 and 6): exact decimals, and the warnings and
//! names the reader gives.

use rust_decimal::Decimal;
use stakeshift_core::model::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn exact_decimal_keeps_every_digit_or_refuses() {
    assert_eq!(exact_decimal("0.49"), Ok(d("0.49")));
    // The places as written are kept: 5.0 prints as 5.0.
    assert_eq!(
        exact_decimal("5.0").map(|v| v.to_string()),
        Ok("5.0".into())
    );
    assert_eq!(exact_decimal("-1.25e-3"), Ok(d("-0.00125")));
    assert_eq!(exact_decimal("1.5E2"), Ok(d("150")));
    assert_eq!(exact_decimal("0e-40"), Ok(Decimal::ZERO));
    assert_eq!(exact_decimal("1e18"), Ok(d("1000000000000000000")));
    // 28 significant digits are held exactly; 29 are refused, never rounded.
    assert_eq!(
        exact_decimal("0.1234567890123456789012345678"),
        Ok(d("0.1234567890123456789012345678"))
    );
    assert_eq!(
        exact_decimal("0.12345678901234567890123456789"),
        Err(NotExact::TooManyDigits)
    );
    assert_eq!(
        exact_decimal("1e-28"),
        Ok(d("0.0000000000000000000000000001"))
    );
    assert_eq!(exact_decimal("1e-29"), Err(NotExact::TooManyPlaces));
    assert_eq!(
        exact_decimal("1.0000000000000000001e18"),
        Err(NotExact::TooLarge)
    );
    assert_eq!(exact_decimal("1e400"), Err(NotExact::TooLarge));
    assert_eq!(
        exact_decimal("1e-99999999999999999999"),
        Err(NotExact::Unreadable)
    );
}

/// helper-54's review: the warning for an investor the waterfall never pays suggested the
/// investor's own name where it had a share of 0 (`did you mean "fund"?`), and any name two
/// letters away however short (`MS` for `OA`). Now only a party paid something, near enough
/// to be a slip.
#[test]
fn regression_an_unpaid_investor_is_offered_only_a_near_name_paid_by_a_tier() {
    let model = |party: &str, shares: &str| {
        format!(
            r#"name = "Unpaid"
unit = "USD m"
start_year = 2024
end_year = 2025
valuation_year = 2024
discount_rate = 0.1
investor = {{ party = "{party}", contributions = [[2024, 1.0]] }}
equity = {{ from_year = 2025, stake = 0.2 }}
[profit_share]
residual = "founders"
tiers = [{{ name = "Only", shares = {shares} }}]
[[trajectories]]
name = "t"
revenue = {{ points = [[2024, 10.0]] }}
margin = {{ points = [[2024, 0.1]] }}
valuation = {{ points = [[2024, 100.0]] }}
"#
        )
    };
    let warnings = |text: String| -> Vec<String> {
        let m = parse_model(ModelSource {
            text: &text,
            load: &mut |_| Err("no files".into()),
        })
        .unwrap();
        m.warnings.iter().map(|w| w.message.clone()).collect()
    };
    let zero = warnings(model("fund", "{ fund = 0.0, others = 0.75 }"));
    assert_eq!(zero.len(), 1, "{zero:?}");
    assert!(!zero[0].contains("did you mean"), "{zero:?}");
    let short = warnings(model("MS", "{ OA = 0.5 }"));
    assert!(!short[0].contains("did you mean"), "{short:?}");
    let slip = warnings(model("Fund", "{ fund = 0.5 }"));
    assert!(
        slip[0].ends_with("; did you mean \"fund\"? (party names are compared exactly)"),
        "{slip:?}"
    );
    // Paid in a tier, or the residual: nothing to say.
    assert!(warnings(model("fund", "{ fund = 0.5 }")).is_empty());
    assert!(warnings(model("founders", "{ fund = 0.5 }")).is_empty());
}

/// Regression (helper-95): a trajectories_csv column not read (a misspelt `cloud_spnd`,
/// whose spend was then 0) is a warning naming it and the column it nearly is.
#[test]
fn regression_a_trajectories_csv_column_not_read_is_warned_of() {
    let text = r#"name = "Csv"
unit = "USD m"
start_year = 2024
end_year = 2024
valuation_year = 2024
discount_rate = 0.1
trajectories_csv = "t.csv"
investor = { party = "fund" }
equity = { from_year = 2024, stake = 0.2 }
[profit_share]
residual = "founders"
tiers = [{ name = "Only", shares = { fund = 0.5 } }]
"#;
    let csv = "trajectory,year,revenue,profit,valuation,cloud_spnd\na,2024,10,1,50,3\n";
    let m = parse_model(ModelSource {
        text,
        load: &mut |_| Ok(csv.to_string()),
    })
    .unwrap();
    let messages: Vec<&str> = m.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "in `t.csv`, the column `cloud_spnd` (did you mean `cloud_spend`?) is not read; the columns read are trajectory, year, revenue, profit, valuation and, optionally, cloud_spend"
        ]
    );
}

/// A two-year model whose one tier, `Only`, pays `party` half, with `top` (keys before
/// `[profit_share]`) and `trajectories` (its `[[trajectories]]` tables) as given: the
/// model of the regression tests below.
fn two_year_model(party: &str, top: &str, trajectories: &str) -> String {
    format!(
        r#"name = "Two years"
unit = "USD m"
start_year = 2024
end_year = 2025
valuation_year = 2024
discount_rate = 0.1
investor = {{ party = "{party}" }}
equity = {{ from_year = 2025, stake = 0.2 }}
{top}
[profit_share]
residual = "founders"
tiers = [{{ name = "Only", shares = {{ "{party}" = 0.5 }} }}]
{trajectories}
"#
    )
}

/// A `[[trajectories]]` table named `name` of revenue `revenue`, with `extra` keys.
fn trajectory(name: &str, revenue: &str, extra: &str) -> String {
    format!(
        r#"[[trajectories]]
name = "{name}"
{extra}
revenue = {{ points = [[2024, {revenue}]] }}
margin = {{ points = [[2024, 0.1]] }}
valuation = {{ points = [[2024, 100.0]] }}
"#
    )
}

fn parsed(text: &str) -> Result<stakeshift_core::model::Model, stakeshift_core::error::ModelIssue> {
    parse_model(ModelSource {
        text,
        load: &mut |_| Err("no files".into()),
    })
}

/// helper-119: the charts' titles capitalised the investor's first letter whatever it was
/// written as: "NPV to XAI" for `xAI`. A name with a capital of its own is kept as written.
#[test]
fn regression_an_investor_written_with_a_capital_is_titled_as_written() {
    let title = |party: &str| {
        parsed(&two_year_model(party, "", &trajectory("t", "10.0", "")))
            .unwrap()
            .investor_title()
    };
    assert_eq!(title("xAI"), "xAI");
    assert_eq!(title("eBay"), "eBay");
    assert_eq!(title("microsoft"), "Microsoft");
    assert_eq!(title("Investor"), "the investor");
    // helper-153: a name with a digit is a brand more than a word ("NPV to A16z").
    assert_eq!(title("a16z"), "a16z");
    // helper-303: one with an underscore is an identifier, not a word
    // ("Angel_investor_with_a_long_party_name" in the charts' sentences).
    assert_eq!(title("angel_investor"), "angel_investor");
}

/// helper-120: a description of spaces was kept as "" (`"description": ""` in the JSON,
/// where a trajectory without one has null, and an empty line under the table): none.
#[test]
fn regression_a_blank_description_is_none() {
    let description = |d: &str| {
        parsed(&two_year_model("fund", "", &trajectory("t", "10.0", d)))
            .unwrap()
            .trajectories[0]
            .description
            .clone()
    };
    assert_eq!(description(r#"description = "   ""#), None);
    assert_eq!(description(r#"description = """#), None);
    assert_eq!(description(""), None);
    assert_eq!(
        description(r#"description = " a story ""#),
        Some("a story".into())
    );
}

/// helper-120: a weights key spelt as the trajectory's name, spaces and all (`" bear"`),
/// was refused, the name itself being trimmed when read: keys are trimmed too, and two
/// keys that then weigh one trajectory are refused, naming both.
#[test]
fn regression_a_weights_key_is_trimmed_as_a_trajectory_name_is() {
    let parse = |weights: &str| {
        let trajectories = trajectory(" bear", "10.0", "") + &trajectory("base", "20.0", "");
        let top = format!("simulation = {{ weights = {weights} }}");
        parsed(&two_year_model("fund", &top, &trajectories))
    };
    let model = parse(r#"{ " bear" = 0.25, base = 0.75 }"#).unwrap();
    assert_eq!(
        model.simulation.weights_of(&model),
        [Decimal::new(25, 2), Decimal::new(75, 2)]
    );
    let twice = parse(r#"{ " bear" = 0.25, bear = 0.5 }"#).unwrap_err();
    assert_eq!(twice.field, "simulation.weights.bear", "{twice:?}");
    assert!(
        twice.message.contains("both weigh trajectory `bear`"),
        "{twice:?}"
    );
}

/// helper-123: a `trajectories_csv` trajectory's profit above its revenue, below -10 times
/// it, or a `cloud_spend` above 10 times revenue drew no warning, where the same margins
/// and spends written as series do (a CSV is where a mistyped column is likeliest).
#[test]
fn regression_slips_in_a_trajectories_csv_are_warned_of() {
    let top = "trajectories_csv = \"t.csv\"\ncloud = { margin = 0.3, spend = { points = [[2024, 0.5]] } }";
    let text = two_year_model("fund", top, "");
    let warnings = |csv: &'static str| -> Vec<String> {
        parse_model(ModelSource {
            text: &text,
            load: &mut |_| Ok(csv.to_string()),
        })
        .unwrap()
        .warnings
        .iter()
        .map(|w| w.message.clone())
        // (The model's cloud side has no regime's terms, which is warned of too.)
        .filter(|m| !m.contains("[cloud] table but neither"))
        .collect()
    };
    let slips = warnings(
        "trajectory,year,revenue,profit,valuation,cloud_spend\n\
         g,2024,2.0,5.0,60.0,25\ng,2025,2.0,-30.0,60.0,1\n",
    );
    assert_eq!(slips.len(), 2, "{slips:?}");
    assert!(
        slips[0].contains("trajectory `g` has a profit of 5 on a revenue of 2 in 2024 (and in 1 more year), a margin of 2.5"),
        "{slips:?}"
    );
    assert!(
        slips[1].contains("trajectory `g` spends 25 on compute on a revenue of 2 in 2024"),
        "{slips:?}"
    );
    // At the edges (a margin of 1 and of -10, a spend of 10 times revenue) and where
    // revenue is 0: nothing.
    let fine = warnings(
        "trajectory,year,revenue,profit,valuation,cloud_spend\n\
         g,2024,2.0,2.0,60.0,20\ng,2025,2.0,-20.0,60.0,0\nh,2024,0,-5,1,0\nh,2025,0,0,1,0\n",
    );
    assert!(fine.is_empty(), "{fine:?}");
}

/// helper-123: the warning of a tier's `until` not above an earlier tier's was skipped
/// wherever a tier's caps grow, even where growth never lifts the later cap above the
/// earlier one in the model's years. Compared year by year now.
/// A model of two tiers paying `inv`, the first's and the second's caps as `first` and
/// `second` (lines of the tier), over 2020..=`end_year`.
fn two_capped_tiers(end_year: i32, first: &str, second: &str) -> String {
    format!(
        r#"name = "Caps"
unit = "USD m"
start_year = 2020
end_year = {end_year}
valuation_year = 2020
discount_rate = 0.1
investor = {{ party = "inv" }}
equity = {{ from_year = 2021, stake = 0.2 }}
[profit_share]
residual = "founders"
[[profit_share.tiers]]
name = "a"
shares = {{ inv = 0.5 }}
{first}
[[profit_share.tiers]]
name = "b"
shares = {{ inv = 0.4 }}
{second}
{}"#,
        trajectory("t", "10.0", "")
    )
}

#[test]
fn regression_a_dead_until_is_warned_of_where_growth_cannot_revive_it() {
    let dead = |first: &str, second: &str| -> bool {
        parsed(&two_capped_tiers(2030, first, second))
            .unwrap()
            .warnings
            .iter()
            .any(|w| {
                w.message.contains("is not above")
                    || w.message.contains("is in no year of the model above")
            })
    };
    let fixed = "until = { inv = 20.0 }";
    // The earlier cap grows away from the later one: dead every year.
    assert!(dead("until = { inv = 50.0 }\ncap_growth = 0.1", fixed));
    // The later cap grows only after end_year: dead every year of the model.
    assert!(dead(
        "until = { inv = 50.0 }",
        "until = { inv = 20.0 }\ncap_growth = 0.1\ncap_growth_from = 2100"
    ));
    // The later cap grows past the earlier one within the years (20 x 1.5^3 = 67.5): alive.
    assert!(!dead(
        "until = { inv = 50.0 }",
        "until = { inv = 20.0 }\ncap_growth = 0.5"
    ));
    assert!(!dead("until = { inv = 10.0 }", fixed));
}

/// helper-128: where caps grow, the dead-`until` warning compared the amounts as written
/// ("15 is not above the 13"), though it is the grown ones that never cross: it says them.
#[test]
fn regression_the_dead_until_warning_says_the_grown_amounts() {
    let text = two_capped_tiers(
        2022,
        "until = { inv = 13.0 }\ncap_growth = 0.5\ncap_growth_from = 2019",
        "until = { inv = 15.0 }",
    );
    let warnings = parsed(&text).unwrap().warnings;
    // 13 x 1.5 = 19.5 in 2020, x 1.5^3 = 43.875 in 2022.
    assert!(
        warnings.iter().any(|w| w.message.starts_with(
            "15 is in no year of the model above the 13 (grown: 19.5 to 43.88) that tiers[0] gives \"inv\" as its `until`, caps grown by cap_growth"
        )),
        "{warnings:?}"
    );
    // helper-130: two amounts that differ are never printed alike, a written cap keeps its
    // digits, and growth that starts after end_year is not said.
    let message = |first: &str, second: &str| -> String {
        let warnings = parsed(&two_capped_tiers(2022, first, second))
            .unwrap()
            .warnings;
        warnings
            .iter()
            .find(|w| w.field.ends_with("until.inv"))
            .map(|w| w.message.clone())
            .unwrap_or_default()
    };
    let m = message(
        "until = { inv = 13.0 }\ncap_growth = 0.0000001\ncap_growth_from = 2019",
        "until = { inv = 13.0 }",
    );
    assert!(m.contains("13 (grown: 13.000001 to 13.000004)"), "{m}");
    let m = message(
        "until = { inv = 1234567.891 }\ncap_growth = 0.1\ncap_growth_from = 2020",
        "until = { inv = 20.0 }",
    );
    assert!(
        m.contains("1234567.891 (grown: 1234567.891 to 1493827.15)"),
        "{m}"
    );
    let m = message(
        "until = { inv = 50.0 }",
        "until = { inv = 20.0 }\ncap_growth = 0.1\ncap_growth_from = 2100",
    );
    assert!(
        m.starts_with("20 is in no year of the model above the 50 that"),
        "{m}"
    );
    assert!(!m.contains("caps grown"), "{m}");
    // helper-131: the least grown cap, 1.0005, was printed "1", below the 1.0004 compared.
    let m = message(
        "until = { inv = 1.0 }\ncap_growth = 0.0005\ncap_growth_from = 2019",
        "until = { inv = 1.0004 }",
    );
    assert!(m.contains("above the 1 (grown: 1.001 to 1.002)"), "{m}");
}

/// helper-133: the dead-`until` warning searched every earlier tier for every cap, so
/// 200,000 tiers (a valid model) ran `check` past ten minutes; it now keeps each party's
/// earlier caps (the rising fixed ones, the growing ones) and searches those. The warnings
/// are still the rule's, against a search of every earlier tier written here: for each cap,
/// the first earlier tier whose cap for the same party is at or above it in every year of
/// the model, caps grown by their cap_growth.
#[test]
fn regression_dead_caps_are_found_as_a_search_of_every_earlier_tier_finds_them() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(133);
    let (start, end) = (2020, 2025);
    let grown = |cap: Decimal, growth: Decimal, from: i32, year: i32| {
        let n = (year - from).max(0);
        (0..n).fold(cap, |v, _| v * (Decimal::ONE + growth))
    };
    let (mut warned, mut with_growth) = (0, 0);
    for _ in 0..400 {
        let tiers = rng.random_range(1..10usize);
        let mut text = format!(
            "name = \"m\"\nunit = \"u\"\nstart_year = {start}\nend_year = {end}\nvaluation_year = {start}\n\
             discount_rate = 0.1\ninvestor = {{ party = \"a\" }}\nequity = {{ from_year = {start}, stake = 0.2 }}\n\
             [profit_share]\nresidual = \"r\"\n"
        );
        // (tier, party, cap, growth, from)
        let mut caps: Vec<Vec<(&str, Decimal)>> = Vec::new();
        let mut growth_of = Vec::new();
        for _ in 0..tiers {
            // Growth that falls too, to 0 (-1), and from before start_year (helper-140: a
            // falling cap grown from before the model's years was missed).
            let growth = [d("0"), d("0"), d("0.1"), d("-0.5"), d("-1")][rng.random_range(0..5)];
            let from = start + rng.random_range(-3..3);
            let mut until = Vec::new();
            for party in ["a", "b"] {
                if rng.random_bool(0.7) {
                    let cap = [d("5"), d("10"), d("13"), d("20"), d("4")][rng.random_range(0..5)];
                    until.push((party, cap));
                }
            }
            let until_text: Vec<String> = until.iter().map(|(p, c)| format!("{p} = {c}")).collect();
            text.push_str(&format!(
                "[[profit_share.tiers]]\nname = \"t\"\nshares = {{ a = 0.3, b = 0.3 }}\n{}cap_growth = {growth}\ncap_growth_from = {from}\n",
                if until.is_empty() { String::new() } else { format!("until = {{ {} }}\n", until_text.join(", ")) }
            ));
            caps.push(until);
            growth_of.push((growth, from));
        }
        text.push_str(
            "[[trajectories]]\nname = \"x\"\nrevenue = { points = [[2020, 1.0]] }\n\
             margin = { points = [[2020, 0.1]] }\nvaluation = { points = [[2020, 1.0]] }\n",
        );
        let model = parse_model(ModelSource {
            text: &text,
            load: &mut |_| Err("none".into()),
        })
        .unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        let mut got: Vec<String> = model
            .warnings
            .iter()
            .filter(|w| w.message.contains("gets nothing here"))
            .map(|w| {
                let j = w
                    .message
                    .split("tiers[")
                    .nth(1)
                    .unwrap()
                    .split(']')
                    .next()
                    .unwrap();
                format!("{} after tiers[{j}]", w.field)
            })
            .collect();
        let mut expected = Vec::new();
        for k in 0..tiers {
            for (party, cap) in &caps[k] {
                let (g, from) = growth_of[k];
                let first = (0..k).find(|&j| {
                    caps[j]
                        .iter()
                        .find(|(p, _)| p == party)
                        .is_some_and(|(_, before)| {
                            let (gj, fj) = growth_of[j];
                            (start..=end)
                                .all(|y| grown(*before, gj, fj, y) >= grown(*cap, g, from, y))
                        })
                });
                if let Some(j) = first {
                    expected.push(format!(
                        "profit_share.tiers[{k}].until.{party} after tiers[{j}]"
                    ));
                }
            }
        }
        got.sort();
        expected.sort();
        assert_eq!(got, expected, "{text}");
        warned += expected.len();
        with_growth +=
            usize::from(!expected.is_empty() && growth_of.iter().any(|(g, _)| !g.is_zero()));
    }
    // The cases hold warnings, some among caps that grow.
    assert!(warned > 100 && with_growth > 20, "{warned} {with_growth}");
}
