//! The enumerations the records hold, each spelled once for every
//! version, converted both ways with the model's by an exhaustive match
//! (a variant added to the model cannot be written by accident). A value
//! that came with later rules names the first version that holds it
//! ([`Since`]); writing it into an earlier version is refused, and so is
//! reading it from one.

use serde::{Deserialize, Serialize};

use crate::diff::matching::MeetingReason;
use crate::diff::overrides::OverrideKind;
use crate::diff::{ItemStatus, MeetingStatus, Reason};
use crate::model::{ItemKind, MeetingKind};
use crate::store::import::DateFrom;

/// The first record version that holds a value.
pub trait Since {
    fn since(self) -> u32;
}

macro_rules! record_enum {
    (
        $(#[$doc:meta])*
        $record:ident <-> $model:ty {
            $($variant:ident $(= $since:literal)?),* $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $record {
            $($variant),*
        }
        impl From<$model> for $record {
            fn from(v: $model) -> Self {
                match v { $(<$model>::$variant => $record::$variant),* }
            }
        }
        impl From<$record> for $model {
            fn from(v: $record) -> Self {
                match v { $($record::$variant => <$model>::$variant),* }
            }
        }
        impl Since for $record {
            fn since(self) -> u32 {
                match self { $($record::$variant => record_enum!(@since $($since)?)),* }
            }
        }
    };
    (@since) => { 1 };
    (@since $since:literal) => { $since };
}

record_enum!(DateFromRecord <-> DateFrom { Document, Flag });
record_enum!(OverrideKindRecord <-> OverrideKind { Same, Different });
record_enum!(MeetingKindRecord <-> MeetingKind { WorkingGroup, ConstructiveDialogue, Other });
record_enum!(ItemKindRecord <-> ItemKind { Recommendation, Observation });
record_enum!(MeetingStatusRecord <-> MeetingStatus {
    Added, SymbolCorrected, Changed, Removed, Unchanged
});
record_enum!(
    /// `same_items` came with rules 3 (pairings version 3).
    MeetingReasonRecord <-> MeetingReason { SameKey, SymbolCorrected, SameItems = 3 }
);
// `restored` (rules 4) is held by no version yet (its doc comment would
// change the frozen schemas): version 4 stores a restoration as the
// addition it is against the edition before (`store::snapshot::pairings`),
// and a diff tells it again from the ids (an id the older edition had
// retired). The same goes for the reason `withdrawn_before`.
record_enum!(
    /// `typography` came with rules 2, `split` and `merged` with rules 3.
    ItemStatusRecord <-> ItemStatus {
        Added, Modified, Renumbered, Moved, Typography = 2, Split = 3, Merged = 3, Restored = 5,
        Removed, Unchanged
    }
);
record_enum!(
    /// The reasons of rules 2 and 3 are held from pairings versions 2 and 3.
    ReasonRecord <-> Reason {
        SameLabelAndText,
        SameText,
        SameTextOtherLabel,
        SameLabel,
        SimilarTextOtherLabel = 2,
        SimilarText,
        SameTextOtherMeeting,
        SimilarTextOtherMeeting = 2,
        SameId,
        Override,
        SplitFrom = 3,
        MergedInto = 3,
        NoCounterpart,
        WithdrawnBefore = 5,
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_of_later_rules_name_the_version_that_brought_them() {
        assert_eq!(ItemStatusRecord::Moved.since(), 1);
        assert_eq!(ItemStatusRecord::Typography.since(), 2);
        assert_eq!(ItemStatusRecord::Split.since(), 3);
        assert_eq!(ReasonRecord::SimilarTextOtherMeeting.since(), 2);
        assert_eq!(ReasonRecord::MergedInto.since(), 3);
        assert_eq!(MeetingReasonRecord::SameItems.since(), 3);
        assert_eq!(MeetingReasonRecord::SymbolCorrected.since(), 1);
    }
}
