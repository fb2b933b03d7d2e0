//! T6, mass assignment: no JSON body takes a field it does not declare. The OpenAPI
//! document must say so for every request body (`additionalProperties: false`, which
//! `#[serde(deny_unknown_fields)]` produces), and a body carrying a field the form does
//! not offer (a state, an approver, an id) is refused with a 4xx and stores nothing.

mod support;

use serde_json::{Value, json};
use support::TestApp;

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap();
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// The object schema a body takes; None for a tagged union (`oneOf`), whose variants the
/// document does not mark closed although serde refuses their unknown fields too (the
/// union bodies are probed by sending one, below).
fn object<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    let s = resolve(doc, schema);
    if ["oneOf", "anyOf", "allOf"].iter().any(|k| s.get(*k).is_some()) {
        return None;
    }
    Some(s)
}

/// The tagged-union bodies: every one must be probed at run time.
const UNIONS: &[&str] = &["/api/v1/incoming/{id}/actions", "/api/v1/outgoing/{id}/actions"];

#[tokio::test]
async fn every_json_body_refuses_fields_it_does_not_declare() {
    let app = TestApp::sqlite().await;
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    let (mut bodies, mut open) = (0, Vec::new());
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") else { continue };
            bodies += 1;
            match object(&doc, schema) {
                None => assert!(UNIONS.contains(&path.as_str()), "{method} {path}: a union body no test probes"),
                Some(o) if o.get("additionalProperties") != Some(&Value::Bool(false)) => {
                    open.push(format!("{method} {path}"));
                }
                Some(_) => {}
            }
        }
    }
    assert!(bodies >= 10, "only {bodies} JSON bodies found");
    assert!(open.is_empty(), "bodies that take undeclared fields:\n{}", open.join("\n"));
}

#[tokio::test]
async fn a_field_the_form_does_not_offer_is_refused_and_nothing_is_stored() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let token = app.token(org.secretary).await;
        let mut api = app.api(&token);
        let before = app.unchanged().await;
        let body = json!({"title": "核实会议室设备", "body": "周五前回复", "leader_id": org.leader.0,
                          "owner_id": org.handler.0, "due_at": "2026-12-03T17:00:00+08:00"});
        for (field, value) in
            [("state", json!("closed")), ("id", json!(1)), ("given_by", json!(org.leader.0)), ("version", json!(9))]
        {
            let mut extra = body.clone();
            extra[field] = value;
            let r = api.post_json("/api/v1/leader-tasks", &extra).await;
            assert!(r.status.is_client_error(), "{b}: extra `{field}` answered {}: {}", r.status, r.text());
            assert!(r.text().contains(field), "{b}: the refusal names `{field}`: {}", r.text());
        }
        before.assert("leader tasks with undeclared fields").await;
        // A union body: a move on a received document with a field no move has.
        let r = api
            .post_json(
                "/api/v1/incoming",
                &json!({"sender_organ": "江北市教育局", "title": "关于开展安全检查的通知",
                "doc_type": "通知", "copies": 1, "received_at": "2026-11-27T09:00:00+08:00"}),
            )
            .await;
        assert_eq!(r.status.as_u16(), 201, "{b}: {}", r.text());
        let id = r.json()["document"]["id"].as_i64().unwrap();
        let nothing = app.unchanged().await;
        let propose = json!({"action": "propose", "opinion": "拟请领导阅示", "submission": "for_reading",
                             "leaders": [org.leader.0], "state": "closed"});
        let r = api.post_json(&format!("/api/v1/incoming/{id}/actions"), &propose).await;
        assert!(r.status.is_client_error() && r.text().contains("state"), "{b}: {} {}", r.status, r.text());
        nothing.assert("bodies with undeclared fields").await;
    }
}
