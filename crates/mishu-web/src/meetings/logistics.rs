//! The meeting page's logistics checklist (会务保障) and attendee changes: forms to add, edit
//! and close items, to add a named attendee (with the person picker) and to take one off.

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::inbox::parse_local;
use crate::picker::{Before, PeoplePicker, PickQuery};
use crate::routes::Routes;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Redirect;
use mishu_domain::meetings::logistics::{ItemAction, LogisticsKind};
use mishu_domain::org::Role;
use mishu_domain::time::office_offset;
use mishu_domain::{LogisticsItemId, MeetingId, PersonId, Timestamp};
use mishu_service::meetings::{ItemInput, MeetingView, attendees, logistics};
use mishu_service::{ServiceError, org};
use serde::Deserialize;

use crate::ctx::User;

pub fn routes(r: Routes) -> Routes {
    r.post("/meetings/{id}/logistics", add)
        .post("/meetings/{id}/logistics/{item}", edit)
        .post("/meetings/{id}/logistics/{item}/state", set_state)
        .get("/meetings/logistics/{item}", open_item)
        .post("/meetings/{id}/attendees", add_attendee)
        .post("/meetings/{id}/attendees/{person}/remove", remove_attendee)
}

/// What the meeting page needs for these forms, for those who run the meeting.
pub struct Forms {
    /// Who may own an item: the office's staff, department heads, the attendees, the
    /// current owners — a short list, not the whole staff.
    pub owners: Vec<(i64, String)>,
    pub kinds: Vec<&'static str>,
    /// The add-an-attendee picker, while the list may still change (no minutes yet).
    pub add_attendee: Option<PeoplePicker>,
}

pub async fn forms(st: &AppState, v: &MeetingView, q: &PickQuery) -> AppResult<Forms> {
    let mut owners: Vec<(i64, String)> = Vec::new();
    for role in [Role::Secretary, Role::Reception, Role::OfficeHead, Role::DepartmentHead] {
        for p in org::active_with_role(&st.services, role).await? {
            let dept = p.department_name.map(|d| format!("（{d}）")).unwrap_or_default();
            owners.push((p.person_id, format!("{}{dept}", p.name)));
        }
    }
    owners.extend(v.attendees.iter().map(|a| (a.person_id, a.name.clone())));
    owners.extend(v.logistics.iter().filter_map(|i| Some((i.owner_id?, i.owner_name.clone()?))));
    let mut seen = std::collections::HashSet::new();
    owners.retain(|(id, _)| seen.insert(*id));
    let add_attendee = if v.meeting.minutes.is_none() {
        Some(PeoplePicker::load(st, "person_id", false, q, Before::Role(Role::Leader)).await?)
    } else {
        None
    };
    Ok(Forms { owners, kinds: LogisticsKind::ALL.iter().map(|k| k.code()).collect(), add_attendee })
}

/// An instant as a `datetime-local` value in office time.
pub fn input_time(ms: i64) -> String {
    Timestamp(ms).to_datetime().with_timezone(&office_offset()).format("%Y-%m-%dT%H:%M").to_string()
}

#[derive(Deserialize, Default)]
struct ItemForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    note: String,
    /// Empty: nobody yet.
    #[serde(default)]
    owner_id: String,
    /// Empty: the meeting's start.
    #[serde(default)]
    due_at: String,
}

impl ItemForm {
    fn input(self) -> AppResult<ItemInput> {
        let owner_id = match self.owner_id.trim() {
            "" => None,
            o => Some(
                o.parse::<PersonId>()
                    .map_err(|_| AppError::BadRequest { field: "owner_id", message: "choose from the list".into() })?,
            ),
        };
        let due_at = match self.due_at.trim() {
            "" => None,
            d => Some(parse_local("due_at", d, false)?),
        };
        Ok(ItemInput { kind: self.kind, note: self.note, owner_id, due_at })
    }
}

fn back(id: MeetingId) -> Redirect {
    Redirect::to(&format!("/meetings/{id}#logistics"))
}

async fn add(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<MeetingId>,
    Form(f): Form<ItemForm>,
) -> AppResult<Redirect> {
    logistics::add_item(&st.services, &user.actor, id, f.input()?, &user.ctx.source_ip).await?;
    Ok(back(id))
}

async fn edit(
    State(st): State<AppState>,
    user: User,
    Path((id, item)): Path<(MeetingId, LogisticsItemId)>,
    Form(f): Form<ItemForm>,
) -> AppResult<Redirect> {
    logistics::edit_item(&st.services, &user.actor, id, item, f.input()?, &user.ctx.source_ip).await?;
    Ok(back(id))
}

#[derive(Deserialize, Default)]
struct StateForm {
    #[serde(default)]
    state: String,
}

async fn set_state(
    State(st): State<AppState>,
    user: User,
    Path((id, item)): Path<(MeetingId, LogisticsItemId)>,
    Form(f): Form<StateForm>,
) -> AppResult<Redirect> {
    let action = ItemAction::parse(&f.state).map_err(ServiceError::from)?;
    logistics::set_state(&st.services, &user.actor, id, item, action, &user.ctx.source_ip).await?;
    Ok(back(id))
}

/// An item's task opens the meeting page at the item.
async fn open_item(State(st): State<AppState>, _user: User, Path(item): Path<LogisticsItemId>) -> AppResult<Redirect> {
    let m = logistics::meeting_of_item(&st.services, item).await?;
    Ok(Redirect::to(&format!("/meetings/{m}#logistics-{item}")))
}

#[derive(Deserialize, Default)]
struct PersonForm {
    #[serde(default)]
    person_id: String,
}

async fn add_attendee(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<MeetingId>,
    Form(f): Form<PersonForm>,
) -> AppResult<Redirect> {
    let person: PersonId = f
        .person_id
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest { field: "person_id", message: "choose a person".into() })?;
    attendees::add_attendee(&st.services, &user.actor, id, person, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/meetings/{id}#attendees")))
}

async fn remove_attendee(
    State(st): State<AppState>,
    user: User,
    Path((id, person)): Path<(MeetingId, PersonId)>,
) -> AppResult<Redirect> {
    attendees::remove_attendee(&st.services, &user.actor, id, person, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/meetings/{id}#attendees")))
}
