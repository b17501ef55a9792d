//! The one way dmsplan writes files: a temp file beside the target, then a rename, so a
//! reader never sees half a file; an existing file is replaced only when asked.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Whether an existing file may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse when the file exists.
    Never,
    /// Replace it.
    Allowed,
}

/// Refuse early when `path` exists and may not be replaced (before any file is written).
pub fn ensure_writable(path: &Path, overwrite: Overwrite) -> Result<(), Error> {
    if overwrite == Overwrite::Never && path.exists() {
        return Err(Error::Exists {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Write `text` to `path` atomically, creating parent directories.
pub fn write_atomic(path: &Path, text: &str, overwrite: Overwrite) -> Result<(), Error> {
    ensure_writable(path, overwrite)?;
    let err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).map_err(err)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.flush()?;
        drop(f);
        if overwrite == Overwrite::Never {
            // Link-then-unlink refuses to replace a file that appeared meanwhile.
            fs::hard_link(&tmp, path).or_else(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    Err(e)
                } else {
                    fs::rename(&tmp, path)
                }
            })?;
            let _ = fs::remove_file(&tmp);
            Ok(())
        } else {
            fs::rename(&tmp, path)
        }
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            return Err(Error::Exists {
                path: path.to_path_buf(),
            });
        }
        return Err(err(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/plan.json");
        write_atomic(&path, "one", Overwrite::Never).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "one");
        let err = write_atomic(&path, "two", Overwrite::Never).unwrap_err();
        assert!(matches!(err, Error::Exists { .. }));
        assert_eq!(fs::read_to_string(&path).unwrap(), "one");
        write_atomic(&path, "two", Overwrite::Allowed).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp files left behind");
    }
}
