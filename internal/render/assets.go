package render

import (
	"crypto/sha256"
	"encoding/base64"
)

// pageStyle is the whole stylesheet. It is static so that the page's
// Content-Security-Policy can allow it by hash; per-language fonts are
// selected with :lang() and right-to-left layout follows dir via logical
// properties.
const pageStyle = `
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#5a5a5a;--line:#ddd;--link:#0a58a8}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#151515;--muted:#a8a8a8;--line:#333;--link:#7ab4f5}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1rem/1.65 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif}
html:lang(zh) body{font-family:"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",system-ui,sans-serif;line-height:1.8}
html:lang(ar) body{font-family:"Noto Naskh Arabic","Noto Sans Arabic","Segoe UI",Tahoma,"Geeza Pro",system-ui,sans-serif;line-height:1.9}
a{color:var(--link)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.skip{position:absolute;inset-inline-start:-999rem}
.skip:focus{inset-inline-start:1rem;top:1rem;background:var(--bg);padding:.5rem}
header,main,footer{max-width:44rem;margin:0 auto;padding:1rem 1.25rem}
header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:baseline;justify-content:space-between;border-bottom:1px solid var(--line)}
.site{font-weight:700;text-decoration:none;color:inherit}
nav ul{display:inline;list-style:none;margin:0;padding:0}
nav li{display:inline;margin-inline-start:.75rem}
nav .label{color:var(--muted)}
[aria-current]{font-weight:700;color:inherit;text-decoration:none}
h1{font-size:2rem;line-height:1.25;margin:1.5rem 0 .75rem}
h2{font-size:1.45rem;line-height:1.3;margin:2rem 0 .5rem}
h3,h4,h5,h6{font-size:1.15rem;margin:1.5rem 0 .5rem}
.meta{color:var(--muted);font-size:.9rem}
.meta>*+*::before{content:"\00b7";margin-inline:.5rem}
.lead{font-size:1.2rem}
.size{font-size:.9rem;color:var(--muted)}
.size button{font:inherit;color:var(--fg);background:none;border:1px solid var(--line);border-radius:.25rem;margin-inline-start:.25rem;padding:0 .45rem;cursor:pointer}
.size .s{font-size:.8rem}.size .m{font-size:1rem}.size .l{font-size:1.25rem}
.reports{list-style:none;padding:0}
.reports li{border-bottom:1px solid var(--line);padding:.5rem 0 1rem}
.reports h2{margin:.5rem 0 .25rem}
.reports p{margin:.25rem 0}
hgroup p{color:var(--muted);margin-top:0}
.back{margin-top:3rem}
.preview{margin:0;padding:.6rem 1.25rem;background:#fff3c4;color:#3d2e00;border-bottom:2px solid #c99a00;text-align:center;font-size:.95rem}
.notice{max-width:36rem;margin:4rem auto;padding:0 1.25rem}
`

// sizeScript wires the A A A buttons; without JavaScript the control stays
// hidden. The choice is remembered for the next page.
const sizeScript = `(function(){var d=document.documentElement,k="pressroom-size";try{d.style.fontSize=localStorage.getItem(k)||""}catch(e){}document.querySelectorAll("button[data-size]").forEach(function(b){b.addEventListener("click",function(){d.style.fontSize=b.dataset.size;try{localStorage.setItem(k,b.dataset.size)}catch(e){}})});var g=document.querySelector(".size");if(g)g.hidden=false})();`

// contentSecurityPolicy allows exactly the inline style and script above,
// so markup that ever slipped through escaping still could not run.
var contentSecurityPolicy = "default-src 'none'; style-src " + cspHash(pageStyle) +
	"; script-src " + cspHash(sizeScript) +
	"; img-src 'self' https: data:; base-uri 'none'; form-action 'none'"

// ContentSecurityPolicy is the pages' policy as an HTTP header, which,
// unlike the <meta> copy in the page, can also forbid framing.
var ContentSecurityPolicy = contentSecurityPolicy + "; frame-ancestors 'none'"

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
