//! `pairings.json`, every version in one declaration: how each changed
//! meeting and item of an edition was paired with the edition before, and
//! why.
//!
//! | version | adds |
//! |---|---|
//! | 1 | livedoc 0.1 |
//! | 2 | the status `typography` and the reasons `similar_text_other_label`, `similar_text_other_meeting` (rules 2) |
//! | 3 | the statuses `split`, `merged`, the reasons `split_from`, `merged_into`, the meeting reason `same_items`, and on every item the fields `split_from` and `merged_into` (null when unused) (rules 3) |
//! | 4 | version 3 in compact JSON; a first edition's lists nothing, every item in it being added |
//!
//! A value of later rules names the version that brought it
//! ([`Since`]); a version cannot hold it, in either direction.

use serde::{Deserialize, Deserializer, Serialize};

use super::RecordError;
use super::enums::{
    ItemStatusRecord, MeetingReasonRecord, MeetingStatusRecord, ReasonRecord, Since,
};
use crate::store::snapshot::{ItemPairing, MeetingPairing, Pairings};

/// The first version whose items carry `split_from` and `merged_into`.
const RELATIONS_SINCE: u32 = 3;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PairingsRecord {
    pub schema_version: u32,
    pub from: String,
    pub meetings: Vec<MeetingPairingRecord>,
    pub items: Vec<ItemPairingRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MeetingPairingRecord {
    pub key: String,
    pub old_key: Option<String>,
    pub status: MeetingStatusRecord,
    pub reason: Option<MeetingReasonRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ItemPairingRecord {
    pub id: String,
    pub meeting: String,
    pub status: ItemStatusRecord,
    pub reason: ReasonRecord,
    pub similarity: Option<f64>,
    pub old_label: Option<String>,
    pub new_label: Option<String>,
    pub from_meeting: Option<String>,
    /// Version 3 on (`Some`, null or an id); absent before (`None`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub split_from: Option<Option<String>>,
    /// As `split_from`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub merged_into: Option<Option<String>>,
}

/// A field that is present, null or not: absent fields take the default.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

impl PairingsRecord {
    /// The pairings as `version` stores them; `None` when they hold a
    /// status or reason of rules newer than that version's.
    pub fn new(version: u32, p: &Pairings) -> Option<Self> {
        let holds = |since: u32| since <= version;
        let relations = version >= RELATIONS_SINCE;
        let meetings = p
            .meetings
            .iter()
            .map(|m| {
                let reason = m.reason.map(MeetingReasonRecord::from);
                reason
                    .is_none_or(|r| holds(r.since()))
                    .then(|| MeetingPairingRecord {
                        key: m.key.clone(),
                        old_key: m.old_key.clone(),
                        status: m.status.into(),
                        reason,
                    })
            })
            .collect::<Option<_>>()?;
        let items = p
            .items
            .iter()
            .map(|i| {
                let status = ItemStatusRecord::from(i.status);
                let reason = ReasonRecord::from(i.reason);
                let related = i.split_from.is_some() || i.merged_into.is_some();
                let fits =
                    holds(status.since()) && holds(reason.since()) && (relations || !related);
                fits.then(|| ItemPairingRecord {
                    id: i.id.clone(),
                    meeting: i.meeting.clone(),
                    status,
                    reason,
                    similarity: i.similarity,
                    old_label: i.old_label.clone(),
                    new_label: i.new_label.clone(),
                    from_meeting: i.from_meeting.clone(),
                    split_from: relations.then(|| i.split_from.clone()),
                    merged_into: relations.then(|| i.merged_into.clone()),
                })
            })
            .collect::<Option<_>>()?;
        Some(PairingsRecord {
            schema_version: version,
            from: p.from.clone(),
            meetings,
            items,
        })
    }

    /// Refuses a record that holds what its version cannot, or lacks what
    /// it always writes.
    pub fn check_shape(&self) -> Result<(), RecordError> {
        let version = self.schema_version;
        let holds = |since: u32| since <= version;
        let relations = version >= RELATIONS_SINCE;
        let meeting = self
            .meetings
            .iter()
            .find(|m| !m.reason.is_none_or(|r| holds(r.since())));
        let item = self.items.iter().find(|i| {
            !holds(i.status.since())
                || !holds(i.reason.since())
                || i.split_from.is_some() != relations
                || i.merged_into.is_some() != relations
        });
        let what = match (meeting, item) {
            (Some(m), _) => format!("meeting {}", m.key),
            (None, Some(i)) => format!("item {}", i.id),
            (None, None) => return Ok(()),
        };
        Err(RecordError::Parse(format!(
            "a version {version} pairings.json pairs {what} in a way its version cannot hold"
        )))
    }
}

/// By value, moving every string (the history index reads thousands).
impl From<PairingsRecord> for Pairings {
    fn from(p: PairingsRecord) -> Self {
        Pairings {
            from: p.from,
            meetings: p
                .meetings
                .into_iter()
                .map(|m| MeetingPairing {
                    key: m.key,
                    old_key: m.old_key,
                    status: m.status.into(),
                    reason: m.reason.map(Into::into),
                })
                .collect(),
            items: p
                .items
                .into_iter()
                .map(|i| ItemPairing {
                    id: i.id,
                    meeting: i.meeting,
                    status: i.status.into(),
                    reason: i.reason.into(),
                    similarity: i.similarity,
                    old_label: i.old_label,
                    new_label: i.new_label,
                    from_meeting: i.from_meeting,
                    split_from: i.split_from.flatten(),
                    merged_into: i.merged_into.flatten(),
                })
                .collect(),
        }
    }
}
