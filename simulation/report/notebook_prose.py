"""The consultant notebooks' own prose in Danish, and an executed notebook in its run's language.

The Markdown cells of ``notebooks/*.ipynb`` (the title, each section's heading and the paragraph
that explains its table or figure) are written in English, as the consultant's guide in Jupyter.
Each carries a section key in its cell metadata, ``{"blandetby": {"section": "headline"}}``, and
each notebook names itself in its own metadata, ``{"blandetby": {"notebook":
"compare_agreements"}}``. :data:`DANISH_SECTIONS` holds the Danish of every section, keyed by
notebook and section, written for the client who reads the delivered page: the law's and the
glossary's words (``docs/glossary.md``), no code names.

When an executed notebook ran with ``language = "da"`` (:func:`notebook_language` reads it from
the ``parameters`` cell and papermill's ``injected-parameters`` cell),
:func:`in_notebook_language` puts the Danish of each keyed section in place of the English:
``blandetby notebook-html`` exports that copy, so the client's page is Danish throughout while the
notebook itself stays as the consultant wrote it. A Markdown cell without a key (one the consultant
added) is kept as written.

Examples
--------
>>> DANISH_SECTIONS["compare_agreements"]["decision_rule"].splitlines()[0]
'## Beslutningsreglen'
>>> sorted(DANISH_SECTIONS["referral_plan"])[:3]
['binding_limits', 'explanation', 'introduction']
"""

from __future__ import annotations

import ast
import copy
from typing import Any

from simulation.base.errors import Words

__all__ = [
    "DANISH_SECTIONS",
    "METADATA_KEY",
    "MissingSectionError",
    "in_notebook_language",
    "notebook_language",
    "section_heading",
    "section_key",
]

METADATA_KEY = "blandetby"
"""The key of the project's metadata in a notebook and its cells (kept by the strip helper)."""

_SYNTHETIC_EXAMPLE = (
    "> **Om eksempeldata.** Bygger analysen på det medfølgende eksempel, *Eksempelby*, er alle tal "
    "syntetiske: Eksempelby er en opdigtet kommune, og resultaterne illustrerer metoden uden at "
    "beskrive nogen virkelig afdeling eller person. I så fald står det også i en advarsel over "
    "resultaterne. En analyse for en virkelig kommune bygger på kommunens egne afdelingsdata."
)

_COMPARE: dict[str, str] = {
    "introduction": f"""\
# Sammenligning af aftaler: hvilken aftale skaffer hurtigst de anviste husstande en bolig, uden at flere boligområder kommer på listerne?

To eller flere scenarier – den samme kommune under forskellige udlejnings- og anvisningsaftaler –
simuleres med **samme startværdi**, så gentagelse *r* af hvert scenarie møder de samme husstande,
de samme anvisningssager og de samme livsbegivenheder. Forskellene er derfor **parrede, gentagelse
for gentagelse**, og deres 95 %-intervaller bliver smalle. Analysen viser

1. boligområderne på lovens lister år for år (bånd over gentagelserne),
2. viftediagrammer for de fire kriterier pr. boligområde,
3. ventetiden på anvisning for hver målgruppe,
4. hvert scenaries parrede forskel fra referencen (det første scenarie) med 95 %-interval,

og slutter med en **anbefaling, der er beregnet ud fra disse tabeller**: den aftale, der hurtigst
skaffer de anviste husstande en bolig blandt de aftaler, hvis listerisiko ikke er klart højere end
den sikreste aftales – med afvejningen og usikkerheden.

{_SYNTHETIC_EXAMPLE}

Alle tal og figurer er beregnet af simuleringsmodellen Blandet By; analysen selv lægger intet til
modellen, den viser kun tabeller, figurer og tekst.
""",
    "scenarios": """\
## Scenarierne

Hvert scenarie simuleres for sig med det antal gentagelser og år og den startværdi, der står
nedenfor. Tabellen viser, hvordan aftalerne adskiller sig: anvisningsandel, fleksibel og kombineret
udlejning og eventuel trappemodel.
""",
    "headline": """\
## Hovedresultater: hvert scenaries gennemsnit og dets parrede forskel fra referencen

Forskellene er *scenarie − reference*, parret gentagelse for gentagelse, med 95 %-intervallet
(t-fordelingen) for den gennemsnitlige forskel. Antal er boligområder (eller områdeår); ventetider er
måneder fra optagelse i anvisningskøen til en bolig; andele er i procent, og forskelle mellem andele
i procentpoint.
""",
    "lists_by_year": """\
## Boligområder på listerne, år for år

Gennemsnittet over gentagelserne med et bånd fra 10 % til 90 % af gentagelserne. Listerne
offentliggøres hvert år pr. 1. december.
""",
    "criteria_fans": """\
## Viftediagrammer: de fire kriterier pr. boligområde

Median, 25–75 % og 10–90 % af gentagelserne for de boligområder, der kommer tættest på hver grænse
for et udsat boligområde (fuld linje; stiplet: grænsen for et forebyggelsesområde). Nedenunder:
hvert boligområdes gennemsnitlige afstand til 40 %-grænsen for beboere uden for arbejde eller
uddannelse i det sidste år (procentpoint; negativ: over grænsen).
""",
    "waits_by_group": """\
## Ventetid på anvisning for hver målgruppe

For hver gentagelse og målgruppe: median og gennemsnitlig ventetid i måneder for de husstande, der
fik en bolig, og hvor mange der stadig venter ved periodens slutning. Søjlerne er gennemsnittet over
gentagelserne af medianventetiden med 95 %-interval; tabellen giver de parrede forskelle fra
referencen.
""",
    "differences": """\
## Parrede forskelle fra referencen med 95 %-intervaller

Ét panel pr. nøgletal: et punkt er et scenaries gennemsnitlige forskel fra referencen, stregen
dets 95 %-interval. Et interval, der krydser 0, kan med dette antal gentagelser ikke skelnes fra
ingen ændring.
""",
    "decision_rule": """\
## Beslutningsreglen

* **Listerisiko** (færre er bedre) og **hastighed** for hvert scenarie; anbefalingen nævner de
  nøgletal, der måler dem.
* Den **sikreste** aftale har den laveste listerisiko (ved lighed: den hurtigste af dem).
* En aftale er **acceptabel**, medmindre dens listerisiko er *klart* højere end den sikreste aftales:
  hele 95 %-intervallet for den parrede forskel ligger over den ekstra listerisiko, der er sagt god
  for (som udgangspunkt 0).
* **Anbefalingen** er den hurtigste acceptable aftale, som ingen anden aftale slår på begge mål
  (Pareto-fronten).
""",
    "recommendation": """\
## Anbefaling

Beregnet ud fra tabellerne ovenfor: kører analysen igen med andre scenarier eller flere
gentagelser, skrives anbefalingen om.
""",
}

_PLAN: dict[str, str] = {
    "introduction": f"""\
# Årets anvisningsplan: hvor kommunens anvisninger går hen, og hvad der begrænser dem

Kommunen skal skaffe bolig til sine hjemløse, flygtninge og psykisk og socialt udsatte (kommunal
anvisning, almenboligloven § 59), uden at nogen afdeling presses ud over sin grænse.
Anvisningsmodellen (en lineær optimering) fordeler den kommende periodes anvisninger på
afdelingerne: først så få husstande uden anvisning som muligt, dernæst den jævneste belastning og
til sidst så lidt som muligt af råderummet i beboersammensætningen. Analysen viser

1. planen (husstande pr. afdeling og målgruppe),
2. hver afdelings belastning og råderum (figur),
3. de bindende grænser og skyggepriserne (hvad én anvisningsret mere, én person mere i
   råderummet eller én passende bolig mere ville være værd),
4. optimeringens egen forklaring, herunder hvorfor en målgruppe ikke kan anvises fuldt ud,

og slutter med en **anbefaling, der er beregnet ud fra planens tabeller**: hvilke målgrupper der
ikke kan anvises fuldt ud og hvorfor, og hvor ekstra kapacitet ville skaffe flest husstande en bolig.

{_SYNTHETIC_EXAMPLE}

Planen bygger på scenariets afdelingsdata (situationen ved scenariets start) og er den samme, som
Blandet Bys optimering giver for scenariet.
""",
    "need_and_capacity": """\
## Kommunen: behovet for anvisning over for anvisningsretten

Fra afdelingsdataene, før der simuleres noget: hver målgruppes nye sager pr. år over for
anvisningsretten i boliger, der passer til den (værelser, husleje), i alle afdelinger og uden for
listeområderne (hvor husstande, der er omfattet af anvisningsforbud efter § 59, stk. 6–7, ikke må
anvises).
""",
    "plan": """\
## Planen

Planen bygger på målgruppernes behov og afdelingernes data ved scenariets start; optimeringen
fordeler anvisningerne. Først hver målgruppe: husstande at anvise, anvist og ikke anvist; derefter
hvor mange husstande hver afdeling får fra hver målgruppe.
""",
    "load_and_headroom": """\
## Belastning og råderum pr. afdeling

Øverst: hver afdelings belastning (anvisninger som andel af dens ledige boliger), farvet efter
boligområdets status på listerne, med den aftalte anvisningsandel (sorte trin) og den højeste
tilladte belastning (rød). Nederst: det råderum i beboersammensætningen, planen bruger, og det, der
er tilbage (personer uden for arbejde eller uddannelse, afdelingen kan tage, før den når sit loft).
""",
    "binding_limits": """\
## Bindende grænser og skyggepriser

En grænse er *bindende*, når planen bruger den helt op. Skyggeprisen siger, hvad én enhed mere ville
være værd: i trin 1 i husstande, der får en bolig (højst; præcist for små ændringer), i trin 2 i
procentpoint mindre højeste belastning med samme antal husstande uden anvisning.
""",
    "explanation": """\
## Optimeringens forklaring

Optimeringens egen gennemgang i almindeligt sprog: totaler, bindende grænser, hvorfor en
målgruppe ikke kan anvises fuldt ud, og skyggepriserne.
""",
    "levers": """\
## Greb: hvor én enhed mere ville skaffe flest husstande en bolig

Hver positiv skyggepris i trin 1 er et greb: én *anvisningsret* mere i en afdeling, én *person
mere i råderummet* (en afdeling får lov til en lidt dårligere beboersammensætning) eller én
*passende bolig* mere til en målgruppe (en ledig bolig med værelser og husleje, der passer, som
kommunen kan anvise til). Greb i afdelinger, der er på eller over deres loft, eller i
listeområder, er markeret: at bruge dem betyder at acceptere en dårligere beboersammensætning
dér, hvor loven allerede er bekymret.
""",
    "recommendation": """\
## Anbefaling

Beregnet ud fra planens tabeller ovenfor: et andet scenarie eller en anden periode skriver den om.
""",
}

_EVALUATION: dict[str, str] = {
    "introduction": f"""\
# Langsigtet evaluering: hvor robuste er hovedresultaterne over for det, vi ikke ved?

En aftale bedømmes på nogle få hovedresultater tyve år frem: hvor mange boligområder der ender som
udsatte boligområder eller forebyggelsesområder, og hvor længe de anviste husstande venter. Tallene
hviler på parametre, som ingen kender præcist (hvor stærkt ressourcestærke husstande flytter fra en
afdeling i tilbagegang, og hvor meget boligsøgende søger mod afdelinger med beboere som dem selv),
og på aftalens egne greb. Analysen kører et **fuldt faktorielt forsøg** med disse parametre, mange
gentagelser hver over en lang horisont og alle med samme startværdi (fælles tilfældige tal), og
viser

1. hvert hovedresultat pr. designpunkt,
2. hovedresultatet år for år for hver værdi af hver parameter,
3. **hovedeffekten** af hver parameter (gennemsnit for hver af dens værdier over alle de andre
   parametre), som små diagrammer og som **tornadodiagram**, med 95 %-intervaller over
   gentagelserne,

og slutter med en **anbefaling, der er beregnet ud fra disse effekter**: om hovedresultatet er
robust, hvilke usikre parametre det afhænger af, og hvordan de står i forhold til aftalens eget greb.

{_SYNTHETIC_EXAMPLE}
""",
    "design": """\
## Forsøget

Alle kombinationer af værdierne nedenfor simuleres (et fuldt faktorielt forsøg), hver med samme
startværdi, så designpunkterne kun adskiller sig ved de varierede værdier. Scenariets egen værdi af
hver parameter står til sammenligning; parametrene for aftalen er dens greb, de øvrige er usikre.
""",
    "headline_points": """\
## Hvert hovedresultat pr. designpunkt

Gennemsnittet over gentagelserne for hvert designpunkt med 95 %-interval, designpunkterne ordnet
efter resultatet.
""",
    "lists_by_value": """\
## Boligområder på listerne, år for år, for hver værdi af hver parameter

Boligområder på listen over udsatte boligområder eller forebyggelsesområder hvert 1. december:
gennemsnittet over gentagelserne og over alle designpunkter med den værdi (de andre parametre
udjævnet).
""",
    "main_effects": """\
## Hovedeffekter: hver parameters værdier, de andre udjævnet

For hver gentagelse tages gennemsnittet af resultatet over alle designpunkter med en given værdi af
en parameter (forsøget er balanceret, så hver værdi møder samme blanding af de andre); derefter
følger gennemsnittet over gentagelserne og dets 95 %-interval. En parameters *udsving* er
ændringen i resultatet fra dens første til dens sidste værdi, parret gentagelse for gentagelse.
""",
    "tornado": """\
## Tornadodiagram: hvilken parameter flytter hvert hovedresultat mest

Søjlerne går fra det samlede gennemsnit til gennemsnittet ved hver parameters første (lys) og
sidste (mørk) værdi; den bredeste søjle står øverst. Teksten giver udsvinget og dets 95 %-interval.
""",
    "sensitivity": """\
## Følsomhedsanalyse over alle antagelser med et interval

Forsøget ovenfor varierer få parametre over få værdier. Følsomhedsanalysen varierer **alle**
usikre antagelser på én gang over hele deres interval (Morris-screening eller Sobol-indeks), med
samme startværdier i hver stikprøve, og ordner dem efter deres virkning på fire resultater. Omfang:
Morris kræver stikprøver × (parametre + 1) kørsler, Sobol stikprøver × (parametre + 2); her én
gentagelse pr. stikprøve.
""",
    "robustness": """\
## Er den alternative aftale bedre end scenariets, uanset antagelserne?

Begge aftaler simuleres i hver stikprøve af antagelserne, parret (samme værdier, samme
startværdier), og PRIM-metoden finder de værdier, hvor beslutningen vender. Omfang: 2 × stikprøver
kørsler.
""",
    "recommendation": """\
## Anbefaling: hvor robust er hovedresultatet?

Et hovedresultat er **robust**, når ingen usikker parameter flytter det med den relevante ændring
(95 %-intervallet for hvert udsving ligger inden for ± den relevante ændring), **følsomt**, når én
klart gør det (intervallet ligger helt uden for), og **uafklaret** ellers (der skal flere
gentagelser til at afgøre det). Aftalens greb står ved siden af, uden vurdering: de er valg, ikke
usikkerheder. Beregnet ud fra effekterne ovenfor; et andet forsøg skriver den om.
""",
}

DANISH_SECTIONS: dict[str, dict[str, str]] = {
    "compare_agreements": _COMPARE,
    "referral_plan": _PLAN,
    "long_term_evaluation": _EVALUATION,
}
"""Notebook (its ``blandetby.notebook`` metadata) → section (a Markdown cell's key) → Danish text."""

_PARAMETER_TAGS = ("parameters", "injected-parameters")


class MissingSectionError(ValueError):
    """A keyed Markdown cell has no text in the language the notebook ran in."""


def section_key(cell: Any) -> str | None:
    """The section key of a Markdown cell (``metadata.blandetby.section``), or None."""
    own = cell.get("metadata", {}).get(METADATA_KEY, {})
    section = own.get("section") if isinstance(own, dict) else None
    return section if isinstance(section, str) else None


def section_heading(text: str) -> str:
    r"""The first line of a section: its Markdown heading (``# …`` or ``## …``).

    >>> section_heading("\n## Planen\n\nTekst")
    '## Planen'
    """
    return text.strip().splitlines()[0] if text.strip() else ""


def _assigned_language(source: str) -> str | None:
    """The last ``language = "…"`` a cell's source assigns, or None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    found = None
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(
                isinstance(target, ast.Name) and target.id == "language" for target in node.targets
            )
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found = node.value.value
    return found


def notebook_language(notebook: Any) -> str:
    """The language a notebook ran in: its ``language`` parameter (``"en"`` when it has none).

    Papermill injects the parameters of a run as a cell tagged ``injected-parameters`` after the
    cell tagged ``parameters``, so the last assignment in those cells is the one the notebook ran
    with; a notebook run in Jupyter with its ``parameters`` cell edited counts too. When no cell
    assigns it, papermill's record of the run (``metadata.papermill.parameters``) is read.
    """
    language = None
    for cell in notebook.get("cells", []):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") == "code" and any(tag in tags for tag in _PARAMETER_TAGS):
            language = _assigned_language(cell.get("source", "")) or language
    if language is None:
        parameters = notebook.get("metadata", {}).get("papermill", {}).get("parameters", {})
        given = parameters.get("language") if isinstance(parameters, dict) else None
        language = given if isinstance(given, str) else None
    return language or "en"


def in_notebook_language(notebook: Any, name: str = "notebook") -> Any:
    """The notebook with each keyed Markdown section in the language it ran in.

    In English (or any language without a catalogue) the notebook is returned as it is. In
    Danish, a copy whose keyed Markdown cells hold :data:`DANISH_SECTIONS` text; Markdown cells
    without a key are kept as written.

    Raises
    ------
    MissingSectionError
        A keyed Markdown cell whose section (or notebook) has no Danish text: the page would mix
        languages. ``name`` (the file) starts the message.
    """
    if notebook_language(notebook) != "da":
        return notebook
    own = notebook.get("metadata", {}).get(METADATA_KEY, {})
    notebook_id = own.get("notebook") if isinstance(own, dict) else None
    catalogue = DANISH_SECTIONS.get(notebook_id, {}) if isinstance(notebook_id, str) else {}
    translated = copy.deepcopy(notebook)
    missing = []
    for number, cell in enumerate(translated.cells, start=1):
        section = section_key(cell) if cell.get("cell_type") == "markdown" else None
        if section is None:
            continue
        if section not in catalogue:
            missing.append(f"cell {number} ({section!r})")
            continue
        cell["source"] = catalogue[section].strip()
    if missing:
        known = ", ".join(sorted(DANISH_SECTIONS))
        shown = "; ".join(missing)
        raise MissingSectionError(
            Words(
                f"{name}: the notebook ran in Danish but these Markdown sections of notebook "
                f"{notebook_id!r} have no Danish text: {shown}; expected a notebook among {known} "
                f"with the sections of simulation/report/notebook_prose.py. A Markdown cell you "
                f"wrote yourself needs no key: remove its metadata {METADATA_KEY!r}",
                f"{name}: notesbogen er kørt på dansk, men disse Markdown-afsnit i notesbogen "
                f"{notebook_id!r} har ingen dansk tekst: {shown}; forventede en notesbog blandt "
                f"{known} med afsnittene i simulation/report/notebook_prose.py. En Markdown-celle, "
                f"du selv har skrevet, skal ikke have en nøgle: fjern dens metadata "
                f"{METADATA_KEY!r}",
            )
        )
    return translated
