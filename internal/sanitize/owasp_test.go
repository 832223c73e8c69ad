package sanitize

import "testing"

// unpinned marks a case whose exact output is not asserted, only its
// safety and idempotence.
const unpinned = "\x00unpinned"

// xssCases follow the OWASP XSS Filter Evasion Cheat Sheet, plus mutation
// XSS and parser-differential vectors known from sanitizer bypasses.
var xssCases = []struct {
	name, in, want string
}{
	{"script src", `<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>`, ``},
	{"img javascript quoted", `<IMG SRC="javascript:alert('XSS');">`, `<img>`},
	{"img javascript unquoted", `<IMG SRC=javascript:alert('XSS')>`, `<img>`},
	{"img case insensitive", `<IMG SRC=JaVaScRiPt:alert('XSS')>`, `<img>`},
	{"img html entities", `<IMG SRC=javascript:alert(&quot;XSS&quot;)>`, `<img>`},
	{"img grave accents", "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>", `<img>`},
	{"a onmouseover quoted", `<a onmouseover="alert(document.cookie)">xxs link</a>`, `<a>xxs link</a>`},
	{"a onmouseover unquoted", `<a onmouseover=alert(document.cookie)>xxs link</a>`, `<a>xxs link</a>`},
	{"malformed img", `<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\>`, `<img>"\&gt;`},
	{"fromCharCode", `<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>`, `<img>`},
	{"default src onmouseover", `<IMG SRC=# onmouseover="alert('xxs')">`, `<img src="#">`},
	{"empty src onmouseover", `<IMG SRC= onmouseover="alert('xxs')">`, `<img src="onmouseover=&#34;alert('xxs')&#34;">`},
	{"no src onmouseover", `<IMG onmouseover="alert('xxs')">`, `<img>`},
	{"onerror", `<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>`, `<img src="/">`},
	{"onerror encoded", `<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">`, `<img src="x">`},
	{"decimal entities", `<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>`, `<img>`},
	{"decimal entities no semicolon", `<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>`, `<img>`},
	{"hex entities no semicolon", `<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>`, `<img>`},
	{"embedded tab", "<IMG SRC=\"jav\tascript:alert('XSS');\">", `<img>`},
	{"encoded tab", `<IMG SRC="jav&#x09;ascript:alert('XSS');">`, `<img>`},
	{"encoded newline", `<IMG SRC="jav&#x0A;ascript:alert('XSS');">`, `<img>`},
	{"encoded carriage return", `<IMG SRC="jav&#x0D;ascript:alert('XSS');">`, `<img>`},
	{"embedded newline", "<a href=\"java\nscript:alert(1)\">x</a>", `<a>x</a>`},
	{"null in scheme", "<IMG SRC=java\x00script:alert(\"XSS\")>", `<img>`},
	{"null entity in scheme", `<a href="javascript&#0;:alert(1)">x</a>`, `<a>x</a>`},
	{"spaces and meta chars before", `<IMG SRC=" &#14;  javascript:alert('XSS');">`, `<img>`},
	{"control char before", `<a href="&#1;javascript:alert(1)">x</a>`, `<a>x</a>`},
	{"leading spaces in href", `<a href="  javascript:alert(1)">x</a>`, `<a>x</a>`},
	{"entity colon", `<a href="&#x6a;avascript&colon;alert(1)">x</a>`, `<a>x</a>`},
	{"hex colon mixed case", `<a href="jAvAsCrIpT&#x3A;alert(1)">x</a>`, `<a>x</a>`},
	{"partial entity in scheme", `<a href=javas&#99;ript:alert(1)>x</a>`, `<a>x</a>`},
	{"fullwidth scheme", `<a href="ｊａｖａｓｃｒｉｐｔ:alert(1)">x</a>`, `<a>x</a>`},
	{"soft hyphen in scheme", "<a href=\"java\u00adscript:alert(1)\">x</a>", `<a>x</a>`},
	{"vbscript", `<IMG SRC='vbscript:msgbox("XSS")'>`, `<img>`},
	{"vbscript href", `<a href="VBSCRIPT:msgbox(1)">x</a>`, `<a>x</a>`},
	{"livescript", `<IMG SRC="livescript:[code]">`, `<img>`},
	{"data text html", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`, `<a>x</a>`},
	{"data image off by default", `<img src="data:image/png;base64,iVBORw0KGgo=">`, `<img>`},
	{"unknown scheme", `<img src=x:alert(alt) onerror=eval(src) alt=0>`, `<img alt="0">`},
	{"script slash attr", `<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>`, ``},
	{"script slash src", `<SCRIPT/SRC="http://xss.rocks/xss.js"></SCRIPT>`, ``},
	{"self-closing script", `<script/>alert(1)</script><p>ok</p>`, `<p>ok</p>`},
	{"body onload junk", "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>", ``},
	{"extraneous open brackets", `<<SCRIPT>alert("XSS");//<</SCRIPT>`, `&lt;`},
	{"no closing script", `<SCRIPT SRC=http://xss.rocks/xss.js?< B >`, ``},
	{"protocol resolution script", `<SCRIPT SRC=//xss.rocks/.j>`, ``},
	{"half open img", `<IMG SRC="('XSS')"`, ``},
	{"double open angle iframe", `<iframe src=http://xss.rocks/scriptlet.html <`, ``},
	{"end title", `</TITLE><SCRIPT>alert("XSS");</SCRIPT>`, ``},
	{"title raw", `<title><img src=x onerror=alert(1)></title>ok`, `ok`},
	{"input image", `<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">`, ``},
	{"body background", `<BODY BACKGROUND="javascript:alert('XSS')">`, ``},
	{"img dynsrc", `<IMG DYNSRC="javascript:alert('XSS')">`, `<img>`},
	{"img lowsrc", `<IMG LOWSRC="javascript:alert('XSS')">`, `<img>`},
	{"list-style-image", `<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>`, `<ul><li>XSS</li></ul>`},
	{"svg onload", `<svg/onload=alert('XSS')>`, ``},
	{"svg onload text after", `<svg onload=alert(1)><p>x</p></svg><p>y</p>`, `<p>y</p>`},
	{"body onload", `<BODY ONLOAD=alert('XSS')>`, ``},
	{"bgsound", `<BGSOUND SRC="javascript:alert('XSS');">`, ``},
	{"js include", `<BR SIZE="&{alert('XSS')}">`, `<br>`},
	{"link stylesheet", `<LINK REL="stylesheet" HREF="javascript:alert('XSS');">`, ``},
	{"meta refresh", `<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">`, ``},
	{"meta refresh data", `<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">`, ``},
	{"iframe", `<IFRAME SRC="javascript:alert('XSS');"></IFRAME>`, ``},
	{"iframe event", `<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>`, ``},
	{"iframe srcdoc", `<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>ok`, `ok`},
	{"frameset", `<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>`, ``},
	{"table background", `<TABLE BACKGROUND="javascript:alert('XSS')">`, `<table></table>`},
	{"td background", `<TABLE><TD BACKGROUND="javascript:alert('XSS')">`, `<table><td></td></table>`},
	{"div background-image", `<DIV STYLE="background-image: url(javascript:alert('XSS'))">`, `<div></div>`},
	{"div unicode escaped style", `<DIV STYLE="background-image:\0075\0072\006C\0028'\006a\0061\0076\0061\0073\0063\0072\0069\0070\0074\003a\0061\006c\0065\0072\0074\0028.1027\0058.1053\0053\0027\0029'\0029">`, `<div></div>`},
	{"div expression", `<DIV STYLE="width: expression(alert('XSS'));">`, `<div></div>`},
	{"img style expression", `<IMG STYLE="xss:expr/*XSS*/ession(alert('XSS'))">`, `<img>`},
	{"base href", `<BASE HREF="javascript:alert('XSS');//">`, ``},
	{"object", `<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>`, ``},
	{"object data js", `<object data="javascript:alert(1)"><p>fallback</p></object>ok`, `ok`},
	{"embed svg", `<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv" type="image/svg+xml" AllowScriptAccess="always"></EMBED>`, ``},
	{"xml namespace", `<HTML xmlns:xss><?import namespace="xss" implementation="http://xss.rocks/xss.htc"><xss:xss>XSS</xss:xss></HTML>`, `XSS`},
	{"xml data island", `<XML ID="xss"><I><B><IMG SRC="javas<!-- -->cript:alert('XSS')"></B></I></XML><SPAN DATASRC="#xss" DATAFLD="B" DATAFORMATAS="HTML"></SPAN>`, `<i><b><img></b></i><span></span>`},
	{"cdata", `<![CDATA[<script>alert(1)</script>]]>ok`, `alert(1)]]&gt;ok`},
	{"conditional comment", `<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->`, ``},
	{"downlevel revealed", `<![if !IE]><script>alert(1)</script><![endif]>ok`, `ok`},
	{"comment breakout", `<!--<img src="--><img src=x onerror=alert(1)//">`, `<img src="x">`},
	{"style import", `<STYLE>@import'http://xss.rocks/xss.css';</STYLE>`, ``},
	{"style type js", `<STYLE TYPE="text/javascript">alert('XSS');</STYLE>`, ``},
	{"style class", `<STYLE>.XSS{background-image:url("javascript:alert('XSS')");}</STYLE><A CLASS=XSS></A>`, `<a class="XSS"></a>`},
	{"style body background", `<STYLE type="text/css">BODY{background:url("javascript:alert('XSS')")}</STYLE>`, ``},
	{"split script", `<scr<script>ipt>alert(1)</scr</script>ipt>`, `ipt&gt;alert(1)ipt&gt;`},
	{"noscript mxss", `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`, `<img src="x">"&gt;`},
	{"svg style mxss", `<svg><style><img src=x onerror=alert(1)></style></svg>`, ``},
	{"svg style escape mxss", `<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">`, ``},
	{"math mxss", `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`, ``},
	{"form action", `<form action="javascript:alert(1)"><input type=submit></form>`, ``},
	{"button formaction", `<button formaction="javascript:alert(1)">x</button>`, `x`},
	{"duplicate href first wins", `<a href="javascript:alert(1)" href="https://ok.example/">x</a>`, `<a>x</a>`},
	{"duplicate src first wins", `<img src="https://ok.example/x.png" src="javascript:alert(1)">`, `<img src="https://ok.example/x.png">`},
	{"isindex", `<isindex type=image src=1 onerror=alert(1)>`, ``},
	{"image alias", `<image src=1 onerror=alert(1)>`, ``},
	{"details ontoggle", `<details open ontoggle=alert(1)>x</details>`, `x`},
	{"template", `<template><script>alert(1)</script></template>ok`, `ok`},
	{"custom element focus", `<xss id=x tabindex=1 onfocus=alert(1)></xss>`, ``},
	{"marquee onstart", `<marquee onstart=alert(1)>x</marquee>`, `x`},
	{"video source onerror", `<video><source onerror="alert(1)"></video>ok`, `ok`},
	{"audio unclosed", `<audio src=x onerror=alert(1)>`, ``},
	{"textarea breakout", `<textarea></textarea><img src=x onerror=alert(1)>`, `<img src="x">`},
	{"xmp breakout", `<xmp><p title="</xmp><img src=x onerror=alert(1)>">`, `<img src="x">"&gt;`},
	{"plaintext", `<plaintext><script>alert(1)</script>`, ``},
	{"a target dropped", `<a href="https://ok.example/" rel="noopener noreferrer" target="_blank">x</a>`, `<a href="https://ok.example/" rel="noopener noreferrer">x</a>`},
	{"class with markup", `<p class="a b<c d">x</p>`, `<p class="a d">x</p>`},
	{"id with quote", `<h2 id='x" onclick="alert(1)'>t</h2>`, `<h2>t</h2>`},
	{"escaped text stays text", `&lt;script&gt;alert(1)&lt;/script&gt;`, `&lt;script&gt;alert(1)&lt;/script&gt;`},
	{"named entity newline", `<a href="java&NewLine;script&colon;alert(1)">x</a>`, `<a>x</a>`},
	{"named entity tab", `<a href="&Tab;javascript:alert(1)">x</a>`, `<a>x</a>`},
	{"percent-encoded scheme", `<a href="javascript%3Aalert(1)">x</a>`, `<a href="javascript%3Aalert(1)">x</a>`},
	{"percent-encoded newline", `<a href="java%0ascript:alert(1)">x</a>`, `<a>x</a>`},
	{"unicode space before scheme", "<a href=\"\u2000javascript:alert(1)\">x</a>", `<a>x</a>`},
	{"uppercase entity scheme", `<a href="&#74;&#65;&#86;&#65;&#83;&#67;&#82;&#73;&#80;&#84;&#58;alert(1)">x</a>`, `<a>x</a>`},
	{"attribute quote breakout", `<img alt="x&quot; onerror=&quot;alert(1)">`, `<img alt="x&#34; onerror=&#34;alert(1)">`},
}

func TestOWASPCases(t *testing.T) {
	p := Default()
	for _, tc := range xssCases {
		t.Run(tc.name, func(t *testing.T) {
			got := p.Sanitize(tc.in)
			if tc.want != unpinned && got != tc.want {
				t.Errorf("Sanitize(%q)\n got: %q\nwant: %q", tc.in, got, tc.want)
			}
			checkSafe(t, p, tc.in, got)
			checkBalanced(t, tc.in, got)
			if again := p.Sanitize(got); again != got {
				t.Errorf("not idempotent:\n once: %q\ntwice: %q", got, again)
			}
		})
	}
}
