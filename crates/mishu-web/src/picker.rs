//! The person picker: a search by name, login or position and/or by department that shows a
//! page of matches as checkboxes, instead of every active person in one `<select>` (ten
//! thousand options on a large organ). Pages embed `templates/picker/people.html`; without
//! script its 查找 reloads the page with `?who=&in=`, with script `GET /people/pick` fills the
//! matches in place and keeps the people already ticked. A page may hold several pickers
//! (a chair and attendees): each has its own search form, and `for` says which one searched.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use mishu_domain::DepartmentId;
use mishu_domain::org::Role;
use mishu_service::org::{self, DepartmentRow, PersonRow};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/people/pick", matches)
}

/// The picker's search, from the page's query string or the script's request.
#[derive(Deserialize, Default, Clone)]
pub struct PickQuery {
    #[serde(default)]
    pub who: String,
    #[serde(default, rename = "in")]
    pub department: String,
    /// The field of the picker that searched (empty: every picker on the page).
    #[serde(default, rename = "for")]
    pub for_field: String,
}

impl PickQuery {
    pub fn is_search(&self) -> bool {
        !self.who.trim().is_empty() || !self.department.trim().is_empty()
    }

    fn searches(&self, field: &str) -> bool {
        self.is_search() && (self.for_field.is_empty() || self.for_field == field)
    }

    fn department(&self) -> AppResult<Option<DepartmentId>> {
        match self.department.trim() {
            "" => Ok(None),
            d => d
                .parse()
                .map(Some)
                .map_err(|_| AppError::BadRequest { field: "in", message: "choose a department".into() }),
        }
    }
}

/// Who a picker lists before any search.
pub enum Before {
    /// The people holding a role (for circulation, the leaders: the usual readers).
    Role(Role),
    /// People the page already knows (e.g. those chosen before).
    These(Vec<PersonRow>),
}

/// What the picker template shows.
pub struct PeoplePicker {
    /// The name of the inputs in the enclosing form (e.g. `reader`).
    pub field: String,
    /// Checkboxes (several people) or radio buttons (one).
    pub multiple: bool,
    /// The id of the GET form the search fields belong to.
    pub form: String,
    pub who: String,
    pub department: Option<i64>,
    pub departments: Vec<DepartmentRow>,
    pub matches: Vec<PersonRow>,
    pub more: bool,
    pub searched: bool,
}

impl PeoplePicker {
    /// The picker for the inputs named `field`: the matches for `q` when it searched this
    /// picker, otherwise the people `before` names. Its search form is `pick-{field}`.
    pub async fn load(
        st: &AppState,
        field: &str,
        multiple: bool,
        q: &PickQuery,
        before: Before,
    ) -> AppResult<PeoplePicker> {
        let searched = q.searches(field);
        let department = if searched { q.department()? } else { None };
        let (matches, more) = match (searched, before) {
            (true, _) => org::pick(&st.services, &q.who, department).await?,
            (false, Before::Role(role)) => (org::active_with_role(&st.services, role).await?, false),
            (false, Before::These(people)) => (people, false),
        };
        let departments = org::departments(&st.services).await?.into_iter().filter(|d| d.active).collect();
        Ok(PeoplePicker {
            field: field.to_string(),
            multiple,
            form: format!("pick-{field}"),
            who: if searched { q.who.trim().to_string() } else { String::new() },
            department: department.map(|d| d.0),
            departments,
            matches,
            more,
            searched,
        })
    }
}

#[derive(Deserialize)]
struct FragmentQuery {
    #[serde(flatten)]
    q: PickQuery,
    #[serde(default)]
    field: String,
    /// `0` for radio buttons (one person); checkboxes otherwise.
    #[serde(default)]
    multiple: String,
}

/// A form field name as pages use them (`reader`, `owner_2`): the fragment names its inputs
/// after it, so nothing else may pass.
fn field_name(raw: &str) -> AppResult<String> {
    let ok = !raw.is_empty()
        && raw.len() <= 24
        && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    ok.then(|| raw.to_string()).ok_or(AppError::BadRequest { field: "field", message: "unknown picker".into() })
}

#[derive(Template)]
#[template(path = "picker/matches.html")]
struct Matches<'a> {
    ctx: &'a Ctx,
    picker: PeoplePicker,
}

/// The matches alone, for the script.
async fn matches(State(st): State<AppState>, user: User, Query(f): Query<FragmentQuery>) -> AppResult<Response> {
    let field = field_name(&f.field)?;
    let department = f.q.department()?;
    let (matches, more) = org::pick(&st.services, &f.q.who, department).await?;
    let picker = PeoplePicker {
        field,
        multiple: f.multiple != "0",
        form: String::new(),
        who: String::new(),
        department: None,
        departments: vec![],
        matches,
        more,
        searched: true,
    };
    Ok(render(&Matches { ctx: &user.ctx, picker }))
}
