//! What the archives keep of an issued document (归档, R1.7): the 正本 rendered as its
//! GB/T 9704 PDF, the 定稿 (the final version's text) and the sign-off record (the 发文稿纸's
//! facts: check, countersignatures, the leader's sign-off, the number, the distribution).
//! Read without the reading check: the archives decide who files (keepers, up to their
//! clearance) and check it themselves.

use super::{OutgoingView, official_document, view};
use crate::db::Tx;
use crate::{ServiceError, ServiceResult, Services, args, org};
use chrono::NaiveDate;
use mishu_domain::org::Clearance;
use mishu_domain::{OutgoingId, Timestamp};

/// An issued document ready to be copied into the archives.
#[derive(Debug, Clone)]
pub(crate) struct IssuedCopy {
    pub view: OutgoingView,
    /// The issuing organ's full name (the responsible organ, 责任者).
    pub organ: String,
    /// The day it was distributed (发文日期).
    pub issued_on: NaiveDate,
    pub pdf: Vec<u8>,
    pub pages: i64,
    pub final_text: String,
    pub sign_off: String,
}

fn not_issued(state: &str) -> ServiceError {
    ServiceError::invalid(
        "source",
        format!("not issued: the outgoing document is `{state}`; only a distributed (issued) document is filed"),
    )
}

/// The issued document with its 正本 rendered now. Rendering takes a while, so this runs
/// before (outside) the filing transaction; `still_issued` then checks nothing moved. A
/// document above the filer's `clearance` is "not found", whatever its state.
pub(crate) async fn issued_copy(s: &Services, id: OutgoingId, clearance: Clearance) -> ServiceResult<IssuedCopy> {
    let v = view(s, id).await?.ok_or(ServiceError::NotFound)?;
    if clearance < super::classification(&v.doc) {
        return Err(ServiceError::NotFound);
    }
    if v.doc.state != "distributed" || v.doc.doc_number.is_none() {
        return Err(not_issued(&v.doc.state));
    }
    let issued_at = v.distributions.iter().filter(|d| d.cancelled_at.is_none()).map(|d| d.distributed_at).max();
    let issued_on = Timestamp(issued_at.unwrap_or(v.doc.updated_at)).local_date();
    let organ = org::organ(s).await?.map_or_else(String::new, |o| o.name);
    // The 印发日期 is the day it went out, not the day it was filed: the copy is the original.
    let doc = official_document(&v, &organ, issued_on, None);
    let rendered = crate::forms::off_runtime(s, move |r| r.render_checked(&doc)).await?;
    Ok(IssuedCopy {
        final_text: final_text(&v),
        sign_off: sign_off(&v, issued_on),
        organ,
        issued_on,
        pages: rendered.pages as i64,
        pdf: rendered.pdf,
        view: v,
    })
}

/// Inside the filing transaction: the document is still distributed and unchanged since
/// `issued_copy` read it (a cancelled distribution or a new number is a conflict).
pub(crate) async fn still_issued(tx: &mut Tx, id: OutgoingId, version: i64) -> ServiceResult<()> {
    let row: Option<(String, i64)> =
        tx.fetch_optional("SELECT state, version FROM outgoing_documents WHERE outgoing_id = $1", args![id]).await?;
    let (state, now_version) = row.ok_or(ServiceError::NotFound)?;
    if state != "distributed" {
        return Err(not_issued(&state));
    }
    if now_version != version {
        return Err(ServiceError::Conflict("the document changed meanwhile; reload and try again".into()));
    }
    Ok(())
}

/// The 定稿: the text as signed off, with its heading facts.
fn final_text(v: &OutgoingView) -> String {
    let d = &v.doc;
    let mut out = format!("{}\n{}\n\n", d.doc_number.as_deref().unwrap_or(""), d.title);
    let main = v.main_names();
    if !main.is_empty() {
        out.push_str(&format!("{}：\n", main.join("、")));
    }
    out.push_str(v.latest_body());
    out.push_str(&format!("\n\n{}\n", d.signed_on.as_deref().unwrap_or("")));
    let copies = v.copy_names();
    if !copies.is_empty() {
        out.push_str(&format!("\n抄送：{}\n", copies.join("、")));
    }
    out
}

fn time(ms: Option<i64>) -> String {
    ms.map(|t| Timestamp(t).rfc3339()).unwrap_or_default()
}

/// The sign-off record: who drafted, checked, countersigned and signed, with their opinions.
fn sign_off(v: &OutgoingView, issued_on: NaiveDate) -> String {
    let d = &v.doc;
    let mut lines = vec![
        "发文签发记录".to_string(),
        format!("标题：{}", d.title),
        format!("发文字号：{}", d.doc_number.as_deref().unwrap_or("")),
        format!("拟稿：{} {}", d.department_name.as_deref().unwrap_or(""), d.drafter_name),
    ];
    if let Some(checker) = &d.checker_name {
        lines.push(format!("核稿：{checker} {}", d.check_opinion.as_deref().unwrap_or("")));
    }
    for st in v.steps.iter().filter(|x| x.acted_at.is_some()) {
        let kind = match st.kind.as_str() {
            "review" => "征求意见",
            "countersign" => "会签",
            "sign" => "签发",
            other => other,
        };
        let who = st.acted_by_name.as_deref().unwrap_or(&st.person_name);
        let opinion = st.opinion.as_deref().unwrap_or("");
        lines.push(format!("{kind}：{who}（{}）{opinion} {}", st.state, time(st.acted_at)));
    }
    lines.push(format!(
        "签发人：{} {} {}",
        d.signer_name,
        d.sign_opinion.as_deref().unwrap_or(""),
        d.signed_on.as_deref().unwrap_or("")
    ));
    lines.push(format!("主送：{}", v.main_names().join("、")));
    lines.push(format!("抄送：{}", v.copy_names().join("、")));
    lines.push(format!("分发日期：{issued_on}"));
    lines.join("\n") + "\n"
}
