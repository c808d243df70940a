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
