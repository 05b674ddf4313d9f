//! `meetings/<part>/<year>/<slug>.json`: one meeting and its items. Laid
//! out alike in every version; versions 1 to 3 write it with a two-space
//! indent, version 4 compact (see [`super::Layout`]). It holds nothing
//! edition-specific, so an unchanged meeting keeps its blob id from
//! edition to edition.

use serde::{Deserialize, Serialize};

use super::enums::{ItemKindRecord, MeetingKindRecord};
use crate::model::{Item, Meeting, SubItem};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MeetingFileRecord {
    pub key: String,
    pub part: String,
    pub year: i32,
    pub body: String,
    pub kind: MeetingKindRecord,
    pub symbol: Option<String>,
    pub source: Option<String>,
    pub link: Option<String>,
    pub items: Vec<ItemRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ItemRecord {
    pub id: String,
    pub kind: ItemKindRecord,
    pub label: Option<String>,
    pub text: String,
    pub subitems: Vec<SubItemRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SubItemRecord {
    pub label: String,
    pub text: String,
}

impl From<&Meeting> for MeetingFileRecord {
    fn from(m: &Meeting) -> Self {
        MeetingFileRecord {
            key: m.key.to_string(),
            part: m.part.clone(),
            year: m.year,
            body: m.body.clone(),
            kind: m.kind.into(),
            symbol: m.symbol.clone(),
            source: m.source.clone(),
            link: m.link.clone(),
            items: m
                .items
                .iter()
                .map(|i| ItemRecord {
                    id: i.id.to_string(),
                    kind: i.kind.into(),
                    label: i.label.clone(),
                    text: i.text.clone(),
                    subitems: i
                        .subitems
                        .iter()
                        .map(|s| SubItemRecord {
                            label: s.label.clone(),
                            text: s.text.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// By value, moving every string.
impl From<MeetingFileRecord> for Meeting {
    fn from(m: MeetingFileRecord) -> Self {
        Meeting {
            key: m.key.into(),
            part: m.part,
            year: m.year,
            body: m.body,
            kind: m.kind.into(),
            symbol: m.symbol,
            source: m.source,
            link: m.link,
            items: m
                .items
                .into_iter()
                .map(|i| Item {
                    id: i.id.into(),
                    kind: i.kind.into(),
                    label: i.label,
                    text: i.text,
                    subitems: i
                        .subitems
                        .into_iter()
                        .map(|s| SubItem {
                            label: s.label,
                            text: s.text,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
