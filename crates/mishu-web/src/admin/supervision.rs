//! A leader's supervision (分管): the departments they are in charge of (ticked boxes) and
//! their areas of work (one per line). The service refuses anyone who is not a leader.

use crate::AppState;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Redirect;
use mishu_domain::{DepartmentId, PersonId};
use mishu_service::audit::Origin;
use mishu_service::org::{self, staff};

pub fn routes(r: Routes) -> Routes {
    r.post("/admin/org/people/{id}/supervision", set)
}

/// Checkboxes repeat their name, so the form arrives as pairs rather than a struct.
fn parse(pairs: &[(String, String)]) -> AppResult<(Vec<DepartmentId>, Vec<String>)> {
    let mut departments = Vec::new();
    let mut areas = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "department" => {
                departments.push(v.trim().parse().map_err(|_| AppError::BadRequest {
                    field: "department",
                    message: "choose from the list".into(),
                })?)
            }
            "areas" => areas.extend(v.lines().map(str::to_string)),
            _ => {}
        }
    }
    Ok((departments, areas))
}

async fn set(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<PersonId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let s = &st.services;
    staff::member(s, id).await?;
    let (departments, areas) = parse(&pairs)?;
    org::set_supervision(s, &Origin::of(&user.actor, &user.ctx.source_ip), id, &departments, &areas).await?;
    Ok(Redirect::to(&format!("/admin/org/people/{id}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn repeated_checkboxes_and_area_lines() {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(
            "_csrf=x&department=3&department=5&areas=%E6%95%99%E5%AD%A6%0D%0A%E6%8B%9B%E7%94%9F",
        )
        .unwrap();
        let (d, a) = super::parse(&pairs).unwrap();
        assert_eq!(d, [mishu_domain::DepartmentId(3), mishu_domain::DepartmentId(5)]);
        assert_eq!(a, ["教学", "招生"]);
        let bad: Vec<(String, String)> = serde_urlencoded::from_str("department=x").unwrap();
        assert!(super::parse(&bad).is_err());
    }
}
