"""The term explorer of report.html: a searchable scatter of terms and the sentences behind each.

:func:`save_term_explorer` (called by notebook 03) writes ``term_explorer.json``, the tables of
:func:`analysis.terms.term_explorer_data` in a compact form: terms, groups, articles and sentences
are stored once and referenced by index, and uses are flat integer runs ``[term, sentence, start,
length, ...]`` with the offsets counted inside their sentence. The page inlines that file as it is.
:func:`explorer_html` is the section's markup; :data:`EXPLORER_SCRIPT` draws the scatter with the
Vega-Lite already inlined in the page (a spec built in the browser per comparison) and lists a
term's sampled uses, highlighted, saying how many of how many it shows. Corpus text reaches the
page inside JSON (``<`` escaped) and is put in the page with ``textContent``, never as markup.

Only the standard library is imported here: ``coverage-compare --help`` imports this package.
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

from analysis.infra.atomic import write_bytes_atomic

__all__ = ["EXPLORER_FILE", "EXPLORER_SCRIPT", "explorer_html", "save_term_explorer"]

#: File name of the explorer's data in a report section folder.
EXPLORER_FILE = "term_explorer.json"
#: Decimals kept for scores in the page (``z`` to 3 decimals shows as Python's ``f"{z:.2f}"``).
_DECIMALS = 4


def _index(values) -> dict:
    """Value -> its position, in first-seen order."""
    return {v: i for i, v in enumerate(dict.fromkeys(values))}


def _number(value) -> float | None:
    value = float(value)
    return None if value != value else round(value, _DECIMALS)  # NaN (no q) -> null


def encode_explorer(explorer) -> dict:
    """The compact form of a :class:`analysis.terms.TermExplorer` written to :data:`EXPLORER_FILE`.

    Returns
    -------
    dict
        ``by``, ``stat``, ``note``; ``groups`` (names); ``terms`` (sorted); ``articles``:
        ``[group, article_id, headline]``; ``sentences``: ``[article, offset in the article, text]``;
        ``comparisons``: ``{"outlet", "other" (group index, -1 for the rest), "n_terms", "rows"}`` with
        rows ``[term, n, n_other, stat, q]``; ``uses``: flat ``[term, sentence, start, length]`` runs,
        sorted by term, group and sample rank, ``start`` counted from the sentence's first character.
    """
    terms, uses = explorer.terms, explorer.uses
    by, stat = explorer.by, explorer.stat
    groups = _index([*explorer.comparisons[by], *explorer.comparisons["other"].loc[lambda s: s != "rest"]])
    term_ids = {t: i for i, t in enumerate(sorted(set(terms["term"]) | set(uses["term"])))}
    article_ids = _index(uses["article_id"])
    article_rows = dict(zip(uses["article_id"], zip(uses[by], uses["headline"], strict=True), strict=True))
    articles = [[groups[article_rows[a][0]], a, article_rows[a][1]] for a in article_ids]
    sentence_keys = list(zip(uses["article_id"], uses["text_start"], uses["text"], strict=True))
    sentence_ids = _index(sentence_keys)
    sentences = [[article_ids[a], int(s), text] for a, s, text in sentence_ids]
    flat: list[int] = []
    for term, key, start, end, text_start in zip(
        uses["term"], sentence_keys, uses["start"], uses["end"], uses["text_start"], strict=True
    ):
        flat += [term_ids[term], sentence_ids[key], int(start - text_start), int(end - start)]
    has_q = "q" in terms.columns
    comparisons = []
    for (outlet, other), rows in terms.groupby([by, "other"], sort=False):
        comparisons.append(
            {
                "outlet": groups[outlet],
                "other": -1 if other == "rest" else groups[other],
                "n_terms": int(
                    explorer.comparisons.loc[
                        (explorer.comparisons[by] == outlet) & (explorer.comparisons["other"] == other),
                        "n_terms",
                    ].iloc[0]
                ),
                "rows": [
                    [term_ids[t], int(n), int(n_other), _number(s), _number(q) if has_q else None]
                    for t, n, n_other, s, q in zip(
                        rows["term"],
                        rows["n"],
                        rows["n_other"],
                        rows[stat],
                        rows["q"] if has_q else rows[stat],
                        strict=True,
                    )
                ],
            }
        )
    return {
        "by": by,
        "stat": stat,
        "note": explorer.note,
        "groups": list(groups),
        "terms": list(term_ids),
        "articles": articles,
        "sentences": sentences,
        "comparisons": comparisons,
        "uses": flat,
    }


def save_term_explorer(explorer, out_dir: str | Path, *, name: str = "term_explorer") -> dict:
    """Write the explorer's data for report.html: ``name``.json (compact) and ``name``.csv (its terms).

    Parameters
    ----------
    explorer : analysis.terms.TermExplorer
        Output of :func:`analysis.terms.term_explorer_data`.
    out_dir : path
        The section folder, conventionally ``<out>/03_term_contrasts``.
    name : str
        File stem; report.html draws the explorer of a section from ``term_explorer.json``.

    Returns
    -------
    dict
        Paths written, keyed by extension.
    """
    out = Path(out_dir)
    payload = json.dumps(encode_explorer(explorer), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    buffer = io.StringIO()
    explorer.terms.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    paths = {"json": out / f"{name}.json", "csv": out / f"{name}.csv"}
    write_bytes_atomic(paths["json"], (payload + "\n").encode("utf-8"))
    write_bytes_atomic(paths["csv"], buffer.getvalue().encode("utf-8"))
    return paths


def explorer_html(slug: str, data_id: str) -> str:
    """The explorer's markup in section ``slug``; its data is the JSON script element ``data_id``."""
    anchor = html.escape(f"{slug}-term_explorer")
    return (
        f'<div class="figure explorer" id="{anchor}" data-source="{html.escape(data_id)}">'
        "<h3>Term explorer: search a term, or click a dot, to read the sentences that use it</h3>"
        '<p class="explorer-controls"><label>Comparison <select class="explorer-comparison"></select></label> '
        '<label>Term <input class="explorer-search" type="search" placeholder="Search terms…" '
        'autocomplete="off"></label> <span class="explorer-matches"></span></p>'
        '<div class="explorer-plot"></div><p class="note explorer-note"></p>'
        '<div class="explorer-uses" aria-live="polite"></div>'
        f'<p class="links">Files: <a href="{html.escape(slug)}/term_explorer.csv">.csv</a> '
        f'<a href="{html.escape(slug)}/{EXPLORER_FILE}">.json</a></p></div>'
    )


#: CSS of the explorer (appended to the page's style sheet when a section has one).
EXPLORER_CSS = """
.explorer-controls label{margin-right:1rem}.explorer-matches button{margin:.1rem .2rem;font-size:.8rem}
.explorer-uses h4{margin:.8rem 0 .2rem 0;font-size:.95rem}.explorer-uses ol{margin:.2rem 0;padding-left:1.6rem}
.explorer-uses li{margin:.3rem 0;max-width:60rem}.explorer-uses .meta{display:block;color:#666;font-size:.8rem}
.explorer-uses mark{background:#ffe08a;padding:0 .1rem}
"""

#: The explorer's script: plain JavaScript, run after vega-embed is loaded.
EXPLORER_SCRIPT = """
(function(){
  function el(tag,cls,text){var e=document.createElement(tag);if(cls){e.className=cls;}if(text!==undefined){e.textContent=text;}return e;}
  function fmt(n){return n.toLocaleString("en-US");}
  document.querySelectorAll("div.explorer").forEach(function(box){
    var D=JSON.parse(document.getElementById(box.dataset.source).textContent);
    var select=box.querySelector(".explorer-comparison"),search=box.querySelector(".explorer-search");
    var matches=box.querySelector(".explorer-matches"),plot=box.querySelector(".explorer-plot");
    var listing=box.querySelector(".explorer-uses"),note=box.querySelector(".explorer-note");
    var ranges={},i;
    for(i=0;i<D.uses.length;i+=4){var t=D.uses[i];if(!(t in ranges)){ranges[t]=[i,i];}ranges[t][1]=i+4;}
    var termIndex={};D.terms.forEach(function(t,k){termIndex[t]=k;});
    var datalist=el("datalist");datalist.id=box.id+"-terms";box.appendChild(datalist);search.setAttribute("list",datalist.id);
    var view=null,current=null,rowsByTerm={},picked="";
    function label(c){return D.groups[c.outlet]+" vs "+(c.other<0?"the rest":D.groups[c.other]);}
    D.comparisons.forEach(function(c,k){var o=el("option",null,label(c));o.value=k;select.appendChild(o);});
    function sideGroups(c,first){
      if(first){return [c.outlet];}
      if(c.other>=0){return [c.other];}
      return D.groups.map(function(g,k){return k;}).filter(function(k){return k!==c.outlet;});
    }
    function showUses(term){
      listing.textContent="";
      var c=current,row=rowsByTerm[term];
      if(row===undefined){
        listing.appendChild(el("p","note","\\u201c"+term+"\\u201d is not among the "+fmt(c.rows.length)+" terms shown for "+label(c)+"."));
        return;
      }
      listing.appendChild(el("h4","explorer-term","\\u201c"+term+"\\u201d: "+D.stat+" = "+(row[3]===null?"\\u2013":row[3].toFixed(2))));
      [true,false].forEach(function(first){
        var groups=sideGroups(c,first),total=first?row[1]:row[2],items=[];
        var r=ranges[row[0]]||[0,0];
        for(var j=r[0];j<r[1];j+=4){
          var s=D.sentences[D.uses[j+1]],a=D.articles[s[0]];
          if(groups.indexOf(a[0])>=0){items.push([s,a,D.uses[j+2],D.uses[j+3]]);}
        }
        var name=first?D.groups[c.outlet]:(c.other<0?"the rest":D.groups[c.other]);
        var side=el("div","explorer-side");side.dataset.side=first?"outlet":"other";
        side.appendChild(el("h4",null,name+": showing "+fmt(items.length)+" of "+fmt(total)+" uses"));
        var ol=el("ol");
        items.forEach(function(it){
          var s=it[0],a=it[1],start=it[2],len=it[3],li=el("li");
          var at=s[1]+start;
          li.appendChild(el("span","meta",D.groups[a[0]]+" \\u00b7 "+(a[2]||"(no headline)")+" \\u00b7 article "+a[1]+" \\u00b7 characters "+at+"\\u2013"+(at+len)));
          li.appendChild(document.createTextNode(s[2].slice(0,start)));
          li.appendChild(el("mark",null,s[2].slice(start,start+len)));
          li.appendChild(document.createTextNode(s[2].slice(start+len)));
          ol.appendChild(li);
        });
        side.appendChild(ol);listing.appendChild(side);
      });
    }
    function pick(term){
      picked=term;search.value=term;showUses(term);
      if(view){view.signal("picked",term).signal("needle","").runAsync();}
    }
    function spec(c){
      var values=c.rows.map(function(r){
        var z=r[3],side=z===null||Math.abs(z)<1.96?"not distinctive":(z>0?"more in "+D.groups[c.outlet]:"more in "+(c.other<0?"the rest":D.groups[c.other]));
        return {term:D.terms[r[0]],n:r[1],n_other:r[2],freq:r[1]+r[2],score:z,q:r[4],side:side};
      });
      var sides=["more in "+D.groups[c.outlet],"not distinctive","more in "+(c.other<0?"the rest":D.groups[c.other])];
      var base={data:{name:"terms"},encoding:{
        x:{field:"freq",type:"quantitative",scale:{type:"log"},title:"Uses on both sides (log scale)"},
        y:{field:"score",type:"quantitative",title:D.stat+" ("+label(c)+")"}}};
      return {width:640,height:360,
        datasets:{terms:values},
        params:[{name:"picked",value:picked},{name:"needle",value:""}],
        layer:[
          Object.assign({},base,{mark:{type:"point",filled:true,cursor:"pointer",stroke:"#000"},encoding:Object.assign({},base.encoding,{
            size:{condition:{test:"datum.term===picked",value:220},value:40},
            strokeWidth:{condition:{test:"datum.term===picked",value:2},value:0},
            color:{field:"side",type:"nominal",scale:{domain:sides,range:["#D55E00","#bbbbbb","#0072B2"]},title:null,legend:{orient:"top"}},
            opacity:{condition:{test:"needle===''||indexof(datum.term,needle)>=0",value:0.85},value:0.08},
            tooltip:[{field:"term",type:"nominal",title:"term"},{field:"n",type:"quantitative",title:D.groups[c.outlet]},
              {field:"n_other",type:"quantitative",title:c.other<0?"the rest":D.groups[c.other]},
              {field:"score",type:"quantitative",title:D.stat,format:".2f"},{field:"q",type:"quantitative",title:"q",format:".3f"}]})}),
          Object.assign({},base,{mark:{type:"text",dy:-14,fontWeight:"bold"},encoding:Object.assign({},base.encoding,{
            text:{condition:{test:"datum.term===picked",field:"term",type:"nominal"},value:""}})})
        ]};
    }
    function draw(){
      current=D.comparisons[Number(select.value)];rowsByTerm={};datalist.textContent="";
      current.rows.forEach(function(r){var t=D.terms[r[0]];rowsByTerm[t]=r;var o=el("option");o.value=t;datalist.appendChild(o);});
      note.textContent="Showing "+fmt(current.rows.length)+" of "+fmt(current.n_terms)+" terms. "+D.note;
      window.vegaEmbed(plot,spec(current),{actions:false,renderer:"svg",mode:"vega-lite"}).then(function(res){
        view=res.view;
        view.addEventListener("click",function(ev,item){if(item&&item.datum&&item.datum.term){pick(item.datum.term);}});
        view.signal("needle",search.value.trim().toLowerCase()).runAsync();
      }).catch(function(err){plot.textContent="Figure failed to render: "+err;});
      if(picked){showUses(picked);}
    }
    function candidates(needle){
      return Object.keys(rowsByTerm).filter(function(t){return t.indexOf(needle)>=0;}).sort(function(a,b){
        return (a.indexOf(needle)!==0)-(b.indexOf(needle)!==0)||rowsByTerm[b][1]+rowsByTerm[b][2]-rowsByTerm[a][1]-rowsByTerm[a][2]||(a<b?-1:a>b?1:0);
      });
    }
    search.addEventListener("input",function(){
      var needle=search.value.trim().toLowerCase();
      if(view){view.signal("needle",needle).runAsync();}
      matches.textContent="";
      if(!needle){return;}
      if(needle in rowsByTerm&&needle!==picked){pick(needle);return;}
      var found=candidates(needle);
      found.slice(0,12).forEach(function(t){var b=el("button","explorer-match",t);b.type="button";b.addEventListener("click",function(){pick(t);});matches.appendChild(b);});
      if(found.length>12){matches.appendChild(el("span","note"," and "+fmt(found.length-12)+" more"));}
      if(!found.length){matches.appendChild(el("span","note","no term shown here contains \\u201c"+needle+"\\u201d"));}
    });
    search.addEventListener("keydown",function(e){
      if(e.key==="Enter"){e.preventDefault();var needle=search.value.trim().toLowerCase();var found=candidates(needle);pick(needle in rowsByTerm||!found.length?needle:found[0]);}
    });
    select.addEventListener("change",draw);
    draw();
  });
})();
"""
