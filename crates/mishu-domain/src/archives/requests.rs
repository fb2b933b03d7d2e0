//! Who is asked to file a finished item, and by when (件件有着落: a finished item not yet
//! filed has an owner and a deadline like any other). Pure; the sweep applies it.

use crate::org::Clearance;
use chrono::{Datelike, NaiveDate};

/// A keeper who may be asked: their id and clearance, in the office's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keeper {
    pub person: i64,
    pub clearance: Clearance,
}

/// The first keeper cleared for the item; `None` when nobody may read it (the item then
/// waits on the filing page for a cleared keeper, and nobody learns its title).
pub fn keeper_for(keepers: &[Keeper], classification: Clearance) -> Option<i64> {
    keepers.iter().find(|k| k.clearance >= classification).map(|k| k.person)
}

/// The filing deadline: the office files a year's documents by the end of June of the next
/// year (the usual 文书档案 practice: the departments hand over their files in the first half
/// of the following year).
pub fn filing_due(finished: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(finished.year() + 1, 6, 30).expect("30 June exists every year")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_cleared_keeper_is_asked() {
        let keepers = [
            Keeper { person: 7, clearance: Clearance::None },
            Keeper { person: 9, clearance: Clearance::Confidential },
            Keeper { person: 11, clearance: Clearance::TopSecret },
        ];
        assert_eq!(keeper_for(&keepers, Clearance::None), Some(7));
        assert_eq!(keeper_for(&keepers, Clearance::Secret), Some(9));
        assert_eq!(keeper_for(&keepers, Clearance::TopSecret), Some(11));
        assert_eq!(keeper_for(&keepers[..2], Clearance::TopSecret), None);
        assert_eq!(keeper_for(&[], Clearance::None), None);
    }

    #[test]
    fn a_years_items_are_due_by_the_end_of_june_next_year() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(filing_due(d(2026, 11, 27)), d(2027, 6, 30));
        assert_eq!(filing_due(d(2026, 1, 1)), d(2027, 6, 30));
        assert_eq!(filing_due(d(2027, 12, 31)), d(2028, 6, 30));
    }
}
