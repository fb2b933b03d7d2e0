//! How a received document is sorted: its 文种 (the 15 types of the 条例, art. 8), how the
//! office handles it (R1.3: 阅转 / 阅知 / 阅办) and how it goes to leaders (R1.4: 呈批 /
//! 呈阅 / 口头汇报). Each kind carries its defaults: who is asked what, and by when.

use super::IncomingError;
use crate::tasks::Urgency;
use serde::{Deserialize, Serialize};

/// 文种: the 15 document types of 党政机关公文处理工作条例 art. 8.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    Resolution,
    Decision,
    Order,
    Communique,
    Announcement,
    PublicNotice,
    Opinion,
    Notice,
    Circular,
    Report,
    Request,
    Reply,
    Motion,
    Letter,
    Minutes,
}

impl DocType {
    pub const ALL: [DocType; 15] = [
        DocType::Resolution,
        DocType::Decision,
        DocType::Order,
        DocType::Communique,
        DocType::Announcement,
        DocType::PublicNotice,
        DocType::Opinion,
        DocType::Notice,
        DocType::Circular,
        DocType::Report,
        DocType::Request,
        DocType::Reply,
        DocType::Motion,
        DocType::Letter,
        DocType::Minutes,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocType::Resolution => "resolution",
            DocType::Decision => "decision",
            DocType::Order => "order",
            DocType::Communique => "communique",
            DocType::Announcement => "announcement",
            DocType::PublicNotice => "public_notice",
            DocType::Opinion => "opinion",
            DocType::Notice => "notice",
            DocType::Circular => "circular",
            DocType::Report => "report",
            DocType::Request => "request",
            DocType::Reply => "reply",
            DocType::Motion => "motion",
            DocType::Letter => "letter",
            DocType::Minutes => "minutes",
        }
    }

    /// The names people write, simplified and traditional (imports and the API take them).
    fn names(self) -> &'static [&'static str] {
        match self {
            DocType::Resolution => &["决议", "決議"],
            DocType::Decision => &["决定", "決定"],
            DocType::Order => &["命令", "令", "命令（令）", "命令(令)"],
            DocType::Communique => &["公报", "公報"],
            DocType::Announcement => &["公告"],
            DocType::PublicNotice => &["通告"],
            DocType::Opinion => &["意见", "意見"],
            DocType::Notice => &["通知"],
            DocType::Circular => &["通报", "通報"],
            DocType::Report => &["报告", "報告"],
            DocType::Request => &["请示", "請示"],
            DocType::Reply => &["批复", "批覆", "批復"],
            DocType::Motion => &["议案", "議案"],
            DocType::Letter => &["函"],
            DocType::Minutes => &["纪要", "紀要", "会议纪要", "會議紀要"],
        }
    }

    /// From a code or a Chinese name. "方案", "办法" and the like are not 文种 (they travel as
    /// attachments of a 通知), so they are refused with the list of what is accepted.
    pub fn parse(raw: &str) -> Result<DocType, IncomingError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(IncomingError::invalid("doc_type", "required"));
        }
        DocType::ALL.into_iter().find(|t| t.code() == s || t.names().contains(&s)).ok_or_else(|| {
            IncomingError::invalid(
                "doc_type",
                format!("`{s}` is not one of the 15 types: 决议 决定 命令 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要"),
            )
        })
    }

    /// R1.1: a 请示 is answered; it cannot close without its reply.
    pub fn needs_reply(self) -> bool {
        self == DocType::Request
    }

    /// R1.2: experience reports (总结经验报告) may be selected for wider circulation.
    pub fn may_be_promoted(self) -> bool {
        self == DocType::Report
    }
}

/// R1.3: what the office does with a received document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandlingKind {
    /// 阅转: read, then pass on to whoever must act.
    PassOn,
    /// 阅知: for the office's own information.
    ForInformation,
    /// 阅办: the office handles it (and prepares the related materials).
    ToHandle,
}

impl HandlingKind {
    pub const ALL: [HandlingKind; 3] = [HandlingKind::PassOn, HandlingKind::ForInformation, HandlingKind::ToHandle];

    pub fn code(self) -> &'static str {
        match self {
            HandlingKind::PassOn => "pass_on",
            HandlingKind::ForInformation => "for_information",
            HandlingKind::ToHandle => "to_handle",
        }
    }

    pub fn parse(raw: &str) -> Result<HandlingKind, IncomingError> {
        match raw.trim() {
            "pass_on" | "阅转" | "閱轉" => Ok(HandlingKind::PassOn),
            "for_information" | "阅知" | "閱知" => Ok(HandlingKind::ForInformation),
            "" | "to_handle" | "阅办" | "閱辦" => Ok(HandlingKind::ToHandle),
            other => Err(IncomingError::invalid(
                "handling",
                format!("`{other}`: expected pass_on (阅转), for_information (阅知) or to_handle (阅办)"),
            )),
        }
    }

    /// How the document goes to leaders unless the secretary chooses otherwise: what must
    /// be handled needs an instruction; the rest is put before leaders to read.
    pub fn default_submission(self) -> SubmissionKind {
        match self {
            HandlingKind::ToHandle => SubmissionKind::ForInstruction,
            HandlingKind::PassOn | HandlingKind::ForInformation => SubmissionKind::ForReading,
        }
    }

    /// Whether departments normally take part (阅转 passes it on, 阅办 has it handled);
    /// 阅知 ends with the leaders' reading.
    pub fn goes_to_departments(self) -> bool {
        self != HandlingKind::ForInformation
    }

    /// The default deadline for the whole document, in working days from registration.
    /// Urgency marks shorten it (特急 next working day, 加急 three).
    pub fn default_working_days(self, urgency: Urgency) -> u32 {
        match urgency {
            Urgency::VeryUrgent => 1,
            Urgency::Urgent => 3,
            Urgency::Normal => match self {
                HandlingKind::PassOn => 3,
                HandlingKind::ForInformation => 5,
                HandlingKind::ToHandle => 10,
            },
        }
    }
}

/// R1.4: how a document is put to leaders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionKind {
    /// 呈批: for a written instruction (批示) from the leader in charge.
    ForInstruction,
    /// 呈阅: for the leaders to read (圈阅), an instruction optional.
    ForReading,
    /// 口头汇报: reported orally; the office records who reported, to whom, when, what was said back.
    OralReport,
}

impl SubmissionKind {
    pub const ALL: [SubmissionKind; 3] =
        [SubmissionKind::ForInstruction, SubmissionKind::ForReading, SubmissionKind::OralReport];

    pub fn code(self) -> &'static str {
        match self {
            SubmissionKind::ForInstruction => "for_instruction",
            SubmissionKind::ForReading => "for_reading",
            SubmissionKind::OralReport => "oral_report",
        }
    }

    pub fn parse(raw: &str) -> Result<SubmissionKind, IncomingError> {
        match raw.trim() {
            "for_instruction" | "呈批" => Ok(SubmissionKind::ForInstruction),
            "for_reading" | "呈阅" | "呈閱" => Ok(SubmissionKind::ForReading),
            "oral_report" | "口头汇报" | "口頭匯報" => Ok(SubmissionKind::OralReport),
            other => Err(IncomingError::invalid(
                "submission",
                format!("`{other}`: expected for_instruction (呈批), for_reading (呈阅) or oral_report (口头汇报)"),
            )),
        }
    }

    /// What the leader at position `index` of the route (0 = the leader in charge) is asked.
    /// For 呈批 the leader in charge instructs and the others read; nothing is put in writing
    /// before leaders for an oral report.
    pub fn step_mode(self, index: usize) -> super::StepMode {
        use super::StepMode;
        match self {
            SubmissionKind::ForInstruction if index == 0 => StepMode::Instruct,
            SubmissionKind::ForInstruction | SubmissionKind::ForReading => StepMode::Read,
            SubmissionKind::OralReport => StepMode::Oral,
        }
    }

    /// Working days each leader has once the document reaches them.
    pub fn step_working_days(self) -> u32 {
        match self {
            SubmissionKind::ForInstruction => 2,
            SubmissionKind::ForReading => 3,
            SubmissionKind::OralReport => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incoming::StepMode;

    #[test]
    fn all_fifteen_types_parse_from_code_and_chinese() {
        assert_eq!(DocType::ALL.len(), 15);
        for t in DocType::ALL {
            assert_eq!(DocType::parse(t.code()).unwrap(), t);
            for name in t.names() {
                assert_eq!(DocType::parse(name).unwrap(), t, "{name}");
            }
        }
        assert_eq!(DocType::parse(" 请示 ").unwrap(), DocType::Request);
        assert_eq!(DocType::parse("令").unwrap(), DocType::Order);
        let e = DocType::parse("方案").unwrap_err().to_string();
        assert!(e.starts_with("doc_type:") && e.contains("15"), "{e}");
        assert!(DocType::parse("").is_err());
    }

    #[test]
    fn only_requests_need_replies_and_only_reports_are_promoted() {
        let needs: Vec<_> = DocType::ALL.into_iter().filter(|t| t.needs_reply()).collect();
        assert_eq!(needs, vec![DocType::Request]);
        let promoted: Vec<_> = DocType::ALL.into_iter().filter(|t| t.may_be_promoted()).collect();
        assert_eq!(promoted, vec![DocType::Report]);
    }

    #[test]
    fn kinds_set_routes_and_deadlines() {
        assert_eq!(HandlingKind::ToHandle.default_submission(), SubmissionKind::ForInstruction);
        assert_eq!(HandlingKind::ForInformation.default_submission(), SubmissionKind::ForReading);
        assert!(!HandlingKind::ForInformation.goes_to_departments());
        assert_eq!(HandlingKind::ToHandle.default_working_days(Urgency::Normal), 10);
        assert_eq!(HandlingKind::ToHandle.default_working_days(Urgency::VeryUrgent), 1);
        assert_eq!(HandlingKind::PassOn.default_working_days(Urgency::Urgent), 3);
        assert_eq!(SubmissionKind::ForInstruction.step_mode(0), StepMode::Instruct);
        assert_eq!(SubmissionKind::ForInstruction.step_mode(1), StepMode::Read);
        assert_eq!(SubmissionKind::ForReading.step_mode(0), StepMode::Read);
        assert_eq!(SubmissionKind::OralReport.step_mode(2), StepMode::Oral);
        for k in HandlingKind::ALL {
            assert_eq!(HandlingKind::parse(k.code()).unwrap(), k);
        }
        for k in SubmissionKind::ALL {
            assert_eq!(SubmissionKind::parse(k.code()).unwrap(), k);
        }
        assert_eq!(SubmissionKind::parse("口头汇报").unwrap(), SubmissionKind::OralReport);
        assert!(SubmissionKind::parse("呈送").unwrap_err().to_string().starts_with("submission:"));
    }
}
