//! `LossyFs`, a file system in memory that loses what a power cut loses (in the spirit of
//! LazyFS): a file's bytes survive only from its last fsync, and a name in a directory only
//! from the directory's last fsync, each separately. `crash` cuts the power at once or after
//! a given number of calls, and every call fails until `restart`. Reliability T2.

use mishu_service::files::{Fs, FsFile};
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Dir,
    File,
}

#[derive(Default, Clone)]
struct Tree {
    /// Each directory's names, by path.
    dirs: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    files: BTreeMap<PathBuf, Vec<u8>>,
}

#[derive(Default)]
struct State {
    root: PathBuf,
    kinds: BTreeMap<PathBuf, Kind>,
    /// What a running system sees.
    now: Tree,
    /// What stable storage holds: directories' names and files' bytes as last synced.
    synced: Tree,
    /// The power is off: every call fails until `restart`.
    off: bool,
    /// Calls left before the power goes (`None`: it stays on).
    calls_left: Option<u64>,
    /// The next file syncs to fail with EIO.
    failing_syncs: u32,
    crashes: u64,
}

fn eio() -> io::Error {
    io::Error::from_raw_os_error(5)
}

impl State {
    /// Counts a call; the one at which the power goes, and every one after, fails.
    fn call(&mut self) -> io::Result<()> {
        if let Some(n) = self.calls_left.as_mut() {
            if *n == 0 {
                self.cut();
            } else {
                *n -= 1;
            }
        }
        if self.off { Err(eio()) } else { Ok(()) }
    }

    /// Stable storage becomes the whole truth: a name counts only where its directory was
    /// synced with it, and a file holds the bytes of its last sync (none if never synced).
    fn cut(&mut self) {
        let mut after = Tree::default();
        let mut stack = vec![self.root.clone()];
        while let Some(dir) = stack.pop() {
            let names = self.synced.dirs.get(&dir).cloned().unwrap_or_default();
            for name in &names {
                match self.kinds.get(name) {
                    Some(Kind::Dir) => stack.push(name.clone()),
                    Some(Kind::File) => {
                        after.files.insert(name.clone(), self.synced.files.get(name).cloned().unwrap_or_default());
                    }
                    None => {}
                }
            }
            after.dirs.insert(dir, names);
        }
        self.now = after.clone();
        self.synced = after;
        self.off = true;
        self.calls_left = None;
        self.crashes += 1;
    }

    fn parent_of(&self, path: &Path) -> io::Result<PathBuf> {
        let parent = path.parent().ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
        if self.now.dirs.contains_key(parent) { Ok(parent.to_path_buf()) } else { Err(io::ErrorKind::NotFound.into()) }
    }

    fn add(&mut self, path: &Path, kind: Kind) -> io::Result<()> {
        let parent = self.parent_of(path)?;
        if self.now.dirs.contains_key(path) || self.now.files.contains_key(path) {
            return Err(io::ErrorKind::AlreadyExists.into());
        }
        self.now.dirs.get_mut(&parent).expect("checked").insert(path.to_path_buf());
        self.kinds.insert(path.to_path_buf(), kind);
        match kind {
            Kind::Dir => self.now.dirs.insert(path.to_path_buf(), BTreeSet::new()).map(|_| ()),
            Kind::File => self.now.files.insert(path.to_path_buf(), vec![]).map(|_| ()),
        };
        Ok(())
    }
}

/// The file system, shared by the store under test and the test that cuts its power.
#[derive(Clone)]
pub struct LossyFs(Arc<Mutex<State>>);

impl LossyFs {
    /// An empty file system whose `root` (the data folder) is durable.
    pub fn new(root: &Path) -> LossyFs {
        let mut s = State { root: root.to_path_buf(), ..State::default() };
        s.now.dirs.insert(root.to_path_buf(), BTreeSet::new());
        s.synced = s.now.clone();
        LossyFs(Arc::new(Mutex::new(s)))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Cuts the power now.
    pub fn crash(&self) {
        self.state().cut();
    }

    /// Cuts the power at the `n`-th call from now (0: the next one).
    pub fn crash_after(&self, n: u64) {
        self.state().calls_left = Some(n);
    }

    /// Power back on, with what stable storage held.
    pub fn restart(&self) {
        let mut s = self.state();
        s.off = false;
        s.calls_left = None;
    }

    /// The next `n` file syncs fail with EIO (and keep nothing).
    pub fn fail_syncs(&self, n: u32) {
        self.state().failing_syncs = n;
    }

    pub fn crashes(&self) -> u64 {
        self.state().crashes
    }
}

struct LossyFile {
    fs: LossyFs,
    path: PathBuf,
    /// The power cut this handle was opened under: a handle from before a cut is dead.
    epoch: u64,
}

impl LossyFile {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> io::Result<T>) -> io::Result<T> {
        let mut s = self.fs.state();
        s.call()?;
        if s.crashes != self.epoch || !s.now.files.contains_key(&self.path) {
            return Err(eio());
        }
        f(&mut s)
    }
}

impl FsFile for LossyFile {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        let path = self.path.clone();
        self.with(|s| {
            s.now.files.get_mut(&path).expect("checked").extend_from_slice(bytes);
            Ok(())
        })
    }

    fn sync_all(&mut self) -> io::Result<()> {
        let path = self.path.clone();
        self.with(|s| {
            if s.failing_syncs > 0 {
                s.failing_syncs -= 1;
                return Err(eio());
            }
            let bytes = s.now.files[&path].clone();
            s.synced.files.insert(path, bytes);
            Ok(())
        })
    }
}

impl Fs for LossyFs {
    fn create_dir(&self, path: &Path) -> io::Result<()> {
        let mut s = self.state();
        s.call()?;
        s.add(path, Kind::Dir)
    }

    fn create_new(&self, path: &Path) -> io::Result<Box<dyn FsFile>> {
        let mut s = self.state();
        s.call()?;
        s.add(path, Kind::File)?;
        Ok(Box::new(LossyFile { fs: self.clone(), path: path.to_path_buf(), epoch: s.crashes }))
    }

    fn sync_dir(&self, path: &Path) -> io::Result<()> {
        let mut s = self.state();
        s.call()?;
        let names = s.now.dirs.get(path).cloned().ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
        s.synced.dirs.insert(path.to_path_buf(), names);
        Ok(())
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let mut s = self.state();
        s.call()?;
        s.now.files.get(path).cloned().ok_or_else(|| io::ErrorKind::NotFound.into())
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        let mut s = self.state();
        s.call()?;
        let parent = s.parent_of(path)?;
        s.now.files.remove(path).ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
        s.now.dirs.get_mut(&parent).expect("checked").remove(path);
        Ok(())
    }
}

/// The model itself, so that a store passing T2 passes for the right reason.
#[test]
fn the_model_forgets_exactly_what_was_not_synced() {
    let root = Path::new("/data");
    let fs = LossyFs::new(root);
    let (a, b) = (root.join("a"), root.join("a/b"));
    fs.create_dir(&a).unwrap();
    let mut f = fs.create_new(&b).unwrap();
    f.write_all(b"one").unwrap();
    f.sync_all().unwrap();
    fs.sync_dir(&a).unwrap();
    // `a` itself was never synced into the root: everything under it is gone.
    fs.crash();
    assert!(fs.read(&b).is_err(), "calls fail while the power is off");
    fs.restart();
    assert_eq!(fs.read(&b).unwrap_err().kind(), io::ErrorKind::NotFound);

    fs.create_dir(&a).unwrap();
    fs.sync_dir(root).unwrap();
    let mut f = fs.create_new(&b).unwrap();
    f.write_all(b"one").unwrap();
    f.sync_all().unwrap();
    f.write_all(b" two").unwrap();
    // The name without the directory's sync is lost, though the bytes were synced.
    fs.crash();
    fs.restart();
    assert_eq!(fs.read(&b).unwrap_err().kind(), io::ErrorKind::NotFound);

    let mut f = fs.create_new(&b).unwrap();
    f.write_all(b"one").unwrap();
    fs.sync_dir(&a).unwrap();
    // The name without the file's sync survives, empty.
    fs.crash();
    fs.restart();
    assert_eq!(fs.read(&b).unwrap(), b"");
    assert!(f.write_all(b"x").is_err(), "a handle from before the cut is dead");

    fs.remove_file(&b).unwrap();
    fs.sync_dir(&a).unwrap();
    let mut f = fs.create_new(&b).unwrap();
    f.write_all(b"one").unwrap();
    f.sync_all().unwrap();
    f.write_all(b" two").unwrap();
    fs.sync_dir(&a).unwrap();
    // Only the synced bytes come back; a later cut by count takes the next call.
    fs.crash_after(1);
    fs.read(&b).unwrap();
    assert!(fs.read(&b).is_err());
    fs.restart();
    assert_eq!(fs.read(&b).unwrap(), b"one");
    assert_eq!(fs.crashes(), 4);

    fs.fail_syncs(1);
    let c = root.join("a/c");
    let mut f = fs.create_new(&c).unwrap();
    f.write_all(b"x").unwrap();
    assert_eq!(f.sync_all().unwrap_err().raw_os_error(), Some(5));
    f.sync_all().unwrap();
}
