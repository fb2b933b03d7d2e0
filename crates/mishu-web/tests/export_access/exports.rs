//! The list downloads under test and, for each, what a person's copy must hold: every
//! object they may open on its own page and nothing else, decided from the objects' access
//! facts (`opens`), never from the download itself.

use super::read::{self, flat};
use mishu_domain::access::Actor;
use mishu_service::search::{self, Domain, SearchDoc};

/// In the classified document's title (and so in its archive item's): a download that holds
/// it for someone who may not open the document leaked it.
pub const MARKER: &str = "T6密标";

/// What the downloads are checked against, read from the database once the organ is built.
pub struct World {
    /// Every object of every domain with its access facts.
    pub objects: Vec<SearchDoc>,
    /// Archive items: id → (档号, year).
    pub codes: Vec<(i64, String, i64)>,
    pub year: i32,
    /// Seal applications used within the report's default period (the last 30 days).
    pub used_applications: Vec<i64>,
    /// The year's chronicle: (event, accepted); candidates are never printed.
    pub chronicle: Vec<(String, bool)>,
    /// The weekly arrangement's published versions.
    pub versions: Vec<i64>,
    /// Each version's frozen entries: (version, title, the meeting it shows).
    pub entries: Vec<(i64, String, Option<i64>)>,
}

impl World {
    fn of(&self, d: Domain) -> impl Iterator<Item = &SearchDoc> {
        self.objects.iter().filter(move |o| o.domain == d)
    }

    fn object(&self, d: Domain, id: i64) -> &SearchDoc {
        self.of(d).find(|o| o.id == id).unwrap_or_else(|| panic!("{d:?} {id} has no access facts"))
    }

    /// The year's archive items as (档号, the item).
    fn catalogue(&self) -> Vec<(&str, &SearchDoc)> {
        let year = i64::from(self.year);
        self.codes
            .iter()
            .filter(|(_, _, y)| *y == year)
            .map(|(id, code, _)| (code.as_str(), self.object(Domain::Archive, *id)))
            .collect()
    }
}

/// Whether `a` opens the object on its own page: the service's read decision, with the
/// meetings' wider rule (every business user opens a meeting, as in the T5 matrix).
pub fn opens(a: &Actor, doc: &SearchDoc) -> bool {
    match doc.domain {
        Domain::Meeting => a.is_business_user() && a.clearance >= doc.subject.classification,
        _ => search::readable(a, doc),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    Register,
    CatalogueXlsx,
    CataloguePdf,
    Package,
    SealReport,
    Chronicle,
    AuditLog,
    ArrangementXlsx,
    ArrangementPdf,
}

impl Export {
    pub const ALL: [Export; 9] = [
        Export::Register,
        Export::CatalogueXlsx,
        Export::CataloguePdf,
        Export::Package,
        Export::SealReport,
        Export::Chronicle,
        Export::AuditLog,
        Export::ArrangementXlsx,
        Export::ArrangementPdf,
    ];

    /// The route as the policy table names it.
    pub fn route(self) -> &'static str {
        match self {
            Export::Register => "/incoming/export.xlsx",
            Export::CatalogueXlsx => "/archives/catalogue.xlsx",
            Export::CataloguePdf => "/archives/catalogue.pdf",
            Export::Package => "/archives/package.zip",
            Export::SealReport => "/seals/report.xlsx",
            Export::Chronicle => "/chronicle.pdf",
            Export::AuditLog => "/admin/audit/export.csv",
            Export::ArrangementXlsx => "/rooms/arrangement/versions/{id}/xlsx",
            Export::ArrangementPdf => "/rooms/arrangement/versions/{id}/pdf",
        }
    }

    pub fn urls(self, w: &World) -> Vec<String> {
        let y = w.year;
        match self {
            Export::Register => vec!["/incoming/export.xlsx?state=&organ=&doc_type=&year=&department=".into()],
            Export::CatalogueXlsx | Export::CataloguePdf | Export::Package | Export::Chronicle => {
                vec![format!("{}?year={y}", self.route())]
            }
            Export::SealReport | Export::AuditLog => vec![self.route().into()],
            Export::ArrangementXlsx | Export::ArrangementPdf => {
                w.versions.iter().map(|v| self.route().replace("{id}", &v.to_string())).collect()
            }
        }
    }

    pub fn is_pdf(self) -> bool {
        matches!(self, Export::CataloguePdf | Export::Chronicle | Export::ArrangementPdf)
    }

    /// Checks one allowed download; answers how many objects it judged and what is wrong.
    /// `seqs` are the audit records that existed when the audit log was asked for.
    pub fn check(self, w: &World, a: &Actor, url: &str, body: &[u8], seqs: &[i64]) -> (usize, Vec<String>) {
        let mut p = Vec::new();
        let n = match self {
            Export::Register => {
                let book = read::workbook(body, url);
                let docs: Vec<&SearchDoc> = w.of(Domain::Incoming).collect();
                let want = docs.iter().filter(|d| opens(a, d)).map(|d| d.title.clone()).collect();
                same(&mut p, "received documents (题名)", read::column(&book[0], 4), want);
                absent(&mut p, &read::all_cells(&book), docs.iter().filter(|d| !opens(a, d)).map(|d| d.title.as_str()));
                marker(&mut p, &read::all_cells(&book), docs.into_iter(), a);
                w.of(Domain::Incoming).count()
            }
            Export::CatalogueXlsx => {
                let book = read::workbook(body, url);
                let items = w.catalogue();
                let want = items.iter().filter(|(_, d)| opens(a, d)).map(|(c, _)| c.to_string()).collect();
                same(&mut p, "archive items (档号)", read::column(&book[0], 1), want);
                let cells = read::all_cells(&book);
                absent(
                    &mut p,
                    &cells,
                    items.iter().filter(|(_, d)| !opens(a, d)).flat_map(|(c, d)| [*c, d.title.as_str()]),
                );
                marker(&mut p, &cells, items.iter().map(|(_, d)| *d), a);
                items.len()
            }
            Export::CataloguePdf => {
                let text = read::pdf_text(body, url);
                let items = w.catalogue();
                let want: Vec<&str> = items.iter().filter(|(_, d)| opens(a, d)).map(|(c, _)| *c).collect();
                for code in &want {
                    if !text.contains(&flat(code)) {
                        p.push(format!("档号 {code} missing"));
                    }
                }
                // Every printed 档号 holds "-WS·": exactly as many as the person may read.
                let printed = text.matches("-WS·").count();
                if printed != want.len() {
                    p.push(format!("{printed} 档号 printed, {} readable", want.len()));
                }
                let hidden = items.iter().filter(|(_, d)| !opens(a, d)).flat_map(|(c, d)| [*c, d.title.as_str()]);
                absent(&mut p, &text, hidden.map(flat).collect::<Vec<_>>().iter().map(String::as_str));
                marker(&mut p, &text, items.iter().map(|(_, d)| *d), a);
                items.len()
            }
            Export::Package => {
                let entries = read::zip_entries(body, url);
                let items = w.catalogue();
                let want: Vec<String> = items.iter().filter(|(_, d)| opens(a, d)).map(|(c, _)| c.to_string()).collect();
                let csv = entries.iter().find(|(n, _)| n == "metadata.csv").map(|(_, b)| String::from_utf8_lossy(b));
                let rows = read::csv_rows(&csv.unwrap_or_default());
                same(&mut p, "metadata.csv (archive_code)", read::column(&rows, 0), want.clone());
                for (name, _) in entries.iter().filter(|(n, _)| n.starts_with("files/")) {
                    let code = name.split('/').nth(1).unwrap_or_default();
                    if !want.iter().any(|w| w == code) {
                        p.push(format!("file {name} of an item not readable"));
                    }
                }
                let xml = entries.iter().find(|(n, _)| n == "metadata.xml").map(|(_, b)| String::from_utf8_lossy(b));
                let xml = xml.unwrap_or_default();
                for code in &want {
                    if !xml.contains(&format!("<archive_code name=\"档号\">{code}</archive_code>")) {
                        p.push(format!("metadata.xml lacks {code}"));
                    }
                }
                let everything: String = entries.iter().map(|(_, b)| String::from_utf8_lossy(b).into_owned()).collect();
                absent(
                    &mut p,
                    &everything,
                    items.iter().filter(|(_, d)| !opens(a, d)).flat_map(|(c, d)| [*c, d.title.as_str()]),
                );
                marker(&mut p, &everything, items.iter().map(|(_, d)| *d), a);
                items.len()
            }
            Export::SealReport => {
                let cells = read::all_cells(&read::workbook(body, url));
                for id in &w.used_applications {
                    let d = w.object(Domain::SealApplication, *id);
                    if opens(a, d) && !cells.contains(&d.title) {
                        p.push(format!("application {id} «{}» missing", d.title));
                    }
                }
                let apps: Vec<&SearchDoc> = w.of(Domain::SealApplication).collect();
                absent(&mut p, &cells, apps.iter().filter(|d| !opens(a, d)).map(|d| d.title.as_str()));
                apps.len()
            }
            Export::Chronicle => {
                let text = read::pdf_text(body, url);
                // The accepted chronicle is every business user's reading (R8.2); a candidate
                // is the keeper's draft and never printed.
                for (event, accepted) in &w.chronicle {
                    let shown = text.contains(&flat(event));
                    if *accepted != shown {
                        p.push(format!("entry «{event}» (accepted: {accepted}) printed: {shown}"));
                    }
                }
                w.chronicle.len()
            }
            Export::AuditLog => {
                let text = String::from_utf8_lossy(body);
                let rows = read::csv_rows(&text);
                let mut got: Vec<i64> = read::column(&rows, 0).iter().filter_map(|s| s.parse().ok()).collect();
                got.sort_unstable();
                if got != seqs {
                    p.push(format!("{} records exported, {} in the log when asked", got.len(), seqs.len()));
                }
                seqs.len()
            }
            Export::ArrangementXlsx | Export::ArrangementPdf => {
                let text = if self.is_pdf() {
                    read::pdf_text(body, url)
                } else {
                    flat(&read::all_cells(&read::workbook(body, url)))
                };
                let version: i64 = url.split('/').nth(4).and_then(|v| v.parse().ok()).expect("version id in the url");
                let mut n = 0;
                for (_, title, meeting) in w.entries.iter().filter(|(v, _, _)| *v == version) {
                    // The arrangement is the organ's own timetable, every business user's
                    // reading; a meeting on it must also open on its page.
                    let may = a.is_business_user() && meeting.is_none_or(|m| opens(a, w.object(Domain::Meeting, m)));
                    let shown = text.contains(&flat(title));
                    if may != shown {
                        p.push(format!("entry «{title}» readable: {may}, present: {shown}"));
                    }
                    n += 1;
                }
                n
            }
        };
        (n, p)
    }
}

/// The same strings, as multisets.
fn same(p: &mut Vec<String>, what: &str, mut got: Vec<String>, mut want: Vec<String>) {
    got.sort();
    want.sort();
    if got != want {
        let extra: Vec<_> = got.iter().filter(|g| !want.contains(g)).collect();
        let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
        p.push(format!(
            "{what}: {} listed, {} readable; not readable but listed {extra:?}; missing {missing:?}",
            got.len(),
            want.len()
        ));
    }
}

fn absent<'a>(p: &mut Vec<String>, text: &str, hidden: impl Iterator<Item = &'a str>) {
    for h in hidden.filter(|h| !h.is_empty()) {
        if text.contains(h) {
            p.push(format!("LEAK: «{h}» is in the download"));
        }
    }
}

/// The marker may show only when an object carrying it is readable to `a`.
fn marker<'a>(p: &mut Vec<String>, text: &str, docs: impl Iterator<Item = &'a SearchDoc>, a: &Actor) {
    let readable = docs.filter(|d| d.title.contains(MARKER)).any(|d| opens(a, d));
    if !readable && text.contains(MARKER) {
        p.push(format!("LEAK: the marker {MARKER} is in the download"));
    }
}
