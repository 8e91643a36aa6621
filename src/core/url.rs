//! Page URLs as events carry them: path (and the query only when the shop opts in), never the
//! origin or the hash.

/// The parts of an absolute or root-relative URL that Vitrina looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageUrl<'a> {
    /// The path, always starting with `/`.
    pub path: &'a str,
    /// The query without the `?` (empty if none).
    pub query: &'a str,
}

impl<'a> PageUrl<'a> {
    /// Splits `https://host/path?query#hash` (or `/path?query#hash`) into its parts.
    pub fn parse(url: &'a str) -> PageUrl<'a> {
        let no_hash = url.split('#').next().unwrap_or("");
        let after_scheme = match crate::core::value::find(no_hash, "://") {
            Some(i) => {
                let rest = &no_hash[i + 3..];
                match rest.find(['/', '?']) {
                    Some(j) => &rest[j..],
                    None => "",
                }
            }
            None => no_hash,
        };
        let (path, query) = match after_scheme.find('?') {
            Some(i) => (&after_scheme[..i], &after_scheme[i + 1..]),
            None => (after_scheme, ""),
        };
        let path = if path.starts_with('/') { path } else { "/" };
        PageUrl { path, query }
    }

    /// What events carry: the path, plus `?query` when `keep_query` and there is one.
    pub fn reported(&self, keep_query: bool) -> String {
        let mut s = String::with_capacity(self.path.len() + self.query.len() + 1);
        s.push_str(self.path);
        if keep_query && !self.query.is_empty() {
            s.push('?');
            s.push_str(self.query);
        }
        s
    }

    /// The identity of a page for "is this a new navigation?": path and query, without the hash.
    pub fn identity(&self) -> String {
        self.reported(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls_lose_origin_and_hash() {
        let u = PageUrl::parse("https://shop.example/p/zap-1?utm=x&email=a@b.c#reviews");
        assert_eq!(u.path, "/p/zap-1");
        assert_eq!(u.query, "utm=x&email=a@b.c");
        assert_eq!(u.reported(false), "/p/zap-1");
        assert_eq!(u.reported(true), "/p/zap-1?utm=x&email=a@b.c");
        assert_eq!(u.identity(), "/p/zap-1?utm=x&email=a@b.c");
    }

    #[test]
    fn query_is_removed_by_default() {
        assert_eq!(PageUrl::parse("http://127.0.0.1:8080/product.html?id=7").reported(false), "/product.html");
    }

    #[test]
    fn bare_origins_and_relative_urls_become_root_paths() {
        assert_eq!(PageUrl::parse("https://shop.example").path, "/");
        assert_eq!(PageUrl::parse("https://shop.example?q=1").path, "/");
        assert_eq!(PageUrl::parse("https://shop.example?q=1").query, "q=1");
        assert_eq!(PageUrl::parse("/cart?x=1#top").path, "/cart");
        assert_eq!(PageUrl::parse("").path, "/");
        assert_eq!(PageUrl::parse("weird").path, "/");
    }

    #[test]
    fn hash_changes_keep_the_identity() {
        assert_eq!(PageUrl::parse("https://a/x?q=1#one").identity(), PageUrl::parse("https://a/x?q=1#two").identity());
        assert_ne!(PageUrl::parse("https://a/x?q=1").identity(), PageUrl::parse("https://a/x?q=2").identity());
    }
}
