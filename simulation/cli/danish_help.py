"""The Danish text of every description, option help and group title of ``blandetby``.

Keyed by the English text the commands give argparse, so that the commands stay in one language
and this file holds the other; a test fails when an English text has no Danish one here. One word
per concept: gentagelse (replication), startværdi (seed), anvisning (referral), afdeling
(department), boligområde (area), kørselsmappe (run folder), scenariefil (scenario file).
"""

from __future__ import annotations

from simulation.cli.arguments import LANGUAGE_VARIABLE

__all__ = ["HELP"]

_DEFAULT_EN = (
    "; da also writes CSV files as Danish Excel opens them (semicolons, decimal commas, UTF-8 "
    f"with BOM) (default: the scenario's language, else ${LANGUAGE_VARIABLE}, else en)"
)
_DEFAULT_DA = (
    "; da skriver også CSV-filer, som dansk Excel åbner dem (semikolon, decimalkomma, UTF-8 med "
    f"BOM) (standard: scenariets sprog, ellers ${LANGUAGE_VARIABLE}, ellers en)"
)

_LANGUAGE = {
    "language of the CSV files (with --csv)": "sprog i CSV-filerne (med --csv)",
    "language of the written tables": "sprog i de skrevne tabeller og i udskriften",
    "language of the output": "sprog i udskriften og de skrevne tabeller",
    "language of the tables": "sprog i tabellerne",
    "language of the report and the workbook": "sprog i rapporten og regnearket",
    "language of the page": "sprog på siden",
}

HELP: dict[str, str] = {
    **{english + _DEFAULT_EN: danish + _DEFAULT_DA for english, danish in _LANGUAGE.items()},
    # blandetby
    "Blandet By: see what a letting and referral agreement will do before anyone signs it.": (
        "Blandet By: se, hvad en udlejnings- og anvisningsaftale vil gøre, før nogen skriver under."
    ),
    "log progress details": "log detaljer om fremdriften",
    "language of the help and of every command's output, unless the command's own --lang says "
    "otherwise (default: the scenario's language, else $BLANDETBY_LANG, else en)": (
        "sprog i hjælpen og i alle kommandoers udskrift, medmindre kommandoens egen --lang siger "
        f"andet (standard: scenariets sprog, ellers ${LANGUAGE_VARIABLE}, ellers en)"
    ),
    # the commands
    "simulate a scenario year by year; write tables, figures and a summary to a run folder": (
        "simulér et scenarie år for år; skriv tabeller, figurer og et resumé i en kørselsmappe"
    ),
    "run scenarios with common random numbers and compare them: lists, criteria, waits, "
    "lettings, with paired differences": (
        "kør scenarier med fælles tilfældige tal og sammenlign dem: lister, kriterier, "
        "ventetider, udlejninger, med parrede forskelle"
    ),
    "run a scenario over values of any of its keys (factorial grid or Latin hypercube)": (
        "kør et scenarie over værdier af vilkårlige af dets nøgler (fuldt faktorielt gitter "
        "eller latinsk hyperkube)"
    ),
    "sweep a scenario and show the trade-off between housing referral households fast and "
    "keeping areas off the legal lists (Pareto table and plot)": (
        "afsøg et scenarie og vis afvejningen mellem hurtigt at skaffe anviste husstande bolig og "
        "at holde boligområderne ude af lovens lister (Pareto-tabel og -figur)"
    ),
    "which uncertain assumptions drive the headline outputs (Morris screening or Sobol indices)": (
        "hvilke usikre antagelser der driver hovedresultaterne (Morris-screening eller "
        "Sobol-indeks)"
    ),
    "where in the uncertain assumptions agreement A stops beating B (paired runs and PRIM)": (
        "hvor i de usikre antagelser aftale A holder op med at være bedre end B (parrede "
        "kørsler og PRIM)"
    ),
    "plan the municipal referrals of a period across departments without overloading any; "
    "explain binding limits, shadow prices and shortfalls": (
        "planlæg en periodes kommunale anvisninger på afdelingerne uden at overbelaste nogen; "
        "forklar bindende grænser, skyggepriser og mangler"
    ),
    "every department and area with its criteria and distance to each threshold, rents, "
    "turnover, and referral need against capacity per housing organisation": (
        "alle afdelinger og boligområder med kriterier og afstand til hver grænse, husleje, "
        "fraflytning og anvisningsbehov over for anvisningsret pr. boligorganisation"
    ),
    "write one self-contained HTML report (Danish or English) from run folders, compare folders "
    "and an optional referral plan: lists, waits, load, evidence, profile, assumptions": (
        "skriv én selvstændig HTML-rapport (dansk eller engelsk) ud fra kørselsmapper, "
        "sammenligningsmapper og eventuelt en anvisningsplan: lister, ventetider, belastning, "
        "evidens, profil, antagelser"
    ),
    "a local web page with the agreement's levers: move one and see the paired comparison with "
    "the scenario as it is, replication by replication (no network needed)": (
        "en lokal webside med aftalens håndtag: flyt ét og se den parrede sammenligning med "
        "scenariet, som det er, gentagelse for gentagelse (kræver intet netværk)"
    ),
    "follow-up (opfølgning): hold a year's actual department figures against a run's "
    "projection, with each department's tier and traffic light": (
        "opfølgning: hold et års faktiske afdelingstal op mod en kørsels fremskrivning, med hver "
        "afdelings trin og trafiklys"
    ),
    "check scenario files (and their department CSV); print OK or every problem": (
        "kontrollér scenariefiler (og deres afdelings-CSV); skriv OK eller hvert problem"
    ),
    "classify housing areas onto the legal lists of § 61 a / § 61 b (udsat, parallelsamfund, …)": (
        "placér boligområder på lovens lister efter § 61 a / § 61 b (udsat boligområde, "
        "parallelsamfund, …)"
    ),
    # groups of options
    "department data": "afdelingsdata",
    "execution": "afvikling",
    "measures": "mål",
    # run and shared options
    "scenario TOML file": "scenariefil (TOML)",
    "scenario TOML files": "scenariefiler (TOML)",
    "years to simulate (default: the scenario's)": "år, der simuleres (standard: scenariets)",
    "seed of the run (default 0)": "kørslens startværdi (standard 0)",
    "independent replications (default 1)": "uafhængige gentagelser (standard 1)",
    "run folder (default: runs/<scenario name>-seed<seed>)": (
        "kørselsmappe (standard: runs/<scenariets navn>-seed<startværdi>)"
    ),
    "skip the figures": "spring figurerne over",
    "also write each table as one CSV file beside its Parquet parts (<table>.csv)": (
        "skriv også hver tabel som én CSV-fil ved siden af dens Parquet-dele (<tabel>.csv)"
    ),
    "no progress bar": "ingen fremdriftslinje",
    "how the share columns of the department CSV are written: auto (as each header says: %%, "
    "pct or procent = per cent, else 0–1; a column whose values contradict it is refused), "
    "percent or fractions (default: the scenario's municipality.percent_columns)": (
        "hvordan andelskolonnerne i afdelings-CSV'en er skrevet: auto (som hver overskrift siger: "
        "%%, pct eller procent = procent, ellers 0–1; en kolonne, hvis værdier siger det imod, "
        "afvises), percent eller fractions (brøk) (standard: scenariets "
        "municipality.percent_columns)"
    ),
    "refuse department CSV columns the model does not read (default: ignore them with one "
    "warning)": (
        "afvis kolonner i afdelings-CSV'en, som modellen ikke læser (standard: se bort fra dem "
        "med én advarsel)"
    ),
    "parallel worker processes (default: the available CPUs; 1 runs in this process)": (
        "parallelle arbejdsprocesser (standard: de tilgængelige CPU'er; 1 kører i denne proces)"
    ),
    "run on a local Dask cluster (--workers workers)": (
        "kør på en lokal Dask-klynge (--workers arbejdsprocesser)"
    ),
    "run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786, or a scheduler "
    "file .json); its workers must see the output folder at the same path": (
        "kør på den Dask-klynge, hvis planlægger er på ADRESSE (tcp://vært:8786 eller en "
        "planlæggerfil .json); dens arbejdsprocesser skal se outputmappen under samme sti"
    ),
    "replications per task (default: chosen from the replications and workers)": (
        "gentagelser pr. opgave (standard: valgt ud fra gentagelserne og arbejdsprocesserne)"
    ),
    "workers return their tables and this process writes them (for clusters that cannot see "
    "the output folder)": (
        "arbejdsprocesserne sender deres tabeller tilbage, og denne proces skriver dem (til "
        "klynger, der ikke kan se outputmappen)"
    ),
    # compare
    "two or more scenario TOML files; the first is the reference": (
        "to eller flere scenariefiler (TOML); den første er referencen"
    ),
    "replications per scenario, paired by index (default 10)": (
        "gentagelser pr. scenarie, parret efter nummer (standard 10)"
    ),
    "years to simulate (default: the first scenario's)": (
        "år, der simuleres (standard: det første scenaries)"
    ),
    "seed shared by every scenario (default 0)": "startværdi fælles for alle scenarier (standard 0)",
    "comparison folder (default: comparisons/<A>-vs-<B>…-seed<seed>)": (
        "sammenligningsmappe (standard: comparisons/<A>-vs-<B>…-seed<startværdi>)"
    ),
    "also run, for each optimised scenario, first come, first served at the volume it achieved "
    "and the threshold rule (the simple rules it must beat)": (
        "kør også, for hvert optimeret scenarie, først til mølle med det antal anvisninger, det "
        "opnåede, og tærskelreglen (de enkle regler, det skal slå)"
    ),
    # sweep and frontier
    'a dotted scenario key and its values: KEY=V1,V2,… (TOML values: numbers, true/false, "text") '
    "or, with --design lhs, KEY=LOW:HIGH; repeat for more keys": (
        "en scenarienøgle med punktum og dens værdier: NØGLE=V1,V2,… (TOML-værdier: tal, "
        'true/false, "tekst") eller, med --design lhs, NØGLE=LAV:HØJ; gentag for flere nøgler'
    ),
    "factorial: every combination (default); lhs: a Latin hypercube of --samples points": (
        "factorial: alle kombinationer (standard); lhs: en latinsk hyperkube med --samples punkter"
    ),
    "points of the Latin hypercube": "punkter i den latinske hyperkube",
    "replications per point (default 10)": "gentagelser pr. punkt (standard 10)",
    "seed of every point and of the hypercube (default 0)": (
        "startværdi for alle punkter og for hyperkuben (standard 0)"
    ),
    "sweep folder (default: sweeps/<scenario>-seed<seed>)": (
        "afsøgningsmappe (standard: sweeps/<scenarie>-seed<startværdi>)"
    ),
    "sweep folder (default: frontiers/<scenario>-seed<seed>)": (
        "afsøgningsmappe (standard: frontiers/<scenarie>-seed<startværdi>)"
    ),
    "how fast referral households are housed (default wait_mean_months)": (
        "hvor hurtigt anviste husstande får bolig (standard wait_mean_months)"
    ),
    "how many areas are on the lists (default listed_area_years)": (
        "hvor mange boligområder der er på listerne (standard listed_area_years)"
    ),
    # sensitivity and robustness
    "morris: screening, samples × (parameters + 1) evaluations (default); sobol: variance shares "
    "with intervals, samples × (parameters + 2) evaluations": (
        "morris: screening, stikprøver × (parametre + 1) beregninger (standard); sobol: "
        "variansandele med intervaller, stikprøver × (parametre + 2) beregninger"
    ),
    "Morris trajectories (default 10) or Sobol base samples, a power of 2 (default 256)": (
        "Morris-baner (standard 10) eller Sobol-grundstikprøver, en potens af 2 (standard 256)"
    ),
    "outputs to analyse (default all: listed_area_years, housed_within_6_months_share, "
    "wait_median_incl_never_housed_months, outside_work_education_share_final)": (
        "resultater, der analyseres (standard alle: listed_area_years, "
        "housed_within_6_months_share, wait_median_incl_never_housed_months, "
        "outside_work_education_share_final)"
    ),
    "ranges TOML file (default: the bundled scenarios/ranges/uncertainty.toml)": (
        "fil med intervaller (TOML) (standard: den medfølgende scenarios/ranges/uncertainty.toml)"
    ),
    "replications per sample, averaged (default 1; every sample uses the same seeds)": (
        "gentagelser pr. stikprøve, gennemsnit (standard 1; alle stikprøver bruger samme "
        "startværdier)"
    ),
    "seed (default 0)": "startværdi (standard 0)",
    "folder (default: sensitivity/<scenario>-<method>-seed<seed>)": (
        "mappe (standard: sensitivity/<scenarie>-<metode>-seed<startværdi>)"
    ),
    "scenario TOML of agreement A": "scenariefil (TOML) med aftale A",
    "scenario TOML of agreement B": "scenariefil (TOML) med aftale B",
    "samples of the uncertain parameters (default 100; each runs A and B)": (
        "stikprøver af de usikre parametre (standard 100; hver kører A og B)"
    ),
    "the output the decision is about (default listed_area_years; lower is better except for "
    "housed_within_6_months_share)": (
        "det resultat, beslutningen handler om (standard listed_area_years; lavere er bedre, "
        "undtagen for housed_within_6_months_share)"
    ),
    "replications per sample and agreement, averaged (default 1)": (
        "gentagelser pr. stikprøve og aftale, gennemsnit (standard 1)"
    ),
    "folder (default: robustness/<A>-vs-<B>-seed<seed>)": (
        "mappe (standard: robustness/<A>-vs-<B>-seed<startværdi>)"
    ),
    # optimise
    "period planned (default: the scenario's)": "planperiode (standard: scenariets)",
    "whole referrals (MILP)": "hele anvisninger (MILP)",
    "default: HiGHS if installed": "standard: HiGHS, hvis den er installeret",
    "folder for the plan tables (plan, departments, groups, fits, areas, sensitivities, units "
    "with pooled claims, as CSV), explanation.md, plan.png": (
        "mappe til planens tabeller (plan, afdelinger, målgrupper, egnethed, boligområder, "
        "følsomheder, enheder med samlet anvisningsret, som CSV), explanation.md, plan.png"
    ),
    # profile
    "folder for the CSV tables (profile_*.csv)": "mappe til CSV-tabellerne (profile_*.csv)",
    "rent a homeless household can pay, kr per month (default 3500)": (
        "husleje, en hjemløs husstand kan betale, kr. pr. måned (standard 3500)"
    ),
    "departments listed in the terminal (default 15)": (
        "afdelinger, der vises i terminalen (standard 15)"
    ),
    # report
    "run folders or compare folders (the first scenario is the reference); an optimiser output "
    "folder among them is taken as --plan": (
        "kørselsmapper eller sammenligningsmapper (det første scenarie er referencen); en mappe "
        "fra optimeringen blandt dem bruges som --plan"
    ),
    "the HTML file (default: report.html in the first folder)": (
        "HTML-filen (standard: report.html i den første mappe)"
    ),
    "folder written by `blandetby optimise --out` (plan.csv, departments.csv, groups.csv, "
    "explanation.md, plan.png)": (
        "mappe skrevet af `blandetby optimise --out` (plan.csv, departments.csv, groups.csv, "
        "explanation.md, plan.png)"
    ),
    "no progress lines": "ingen linjer om fremdriften",
    "the decision page recommends, among the agreements that house at least this share (0–1) of "
    "referred households within 6 months, the one with the fewest area-years on the lists "
    "(default 0.5)": (
        "beslutningsoplægget anbefaler, blandt de aftaler, der skaffer mindst denne andel (0–1) "
        "af de anviste husstande bolig inden for 6 måneder, den med færrest områdeår på "
        "listerne (standard 0,5)"
    ),
    "a folder of `blandetby robustness --out`: adds the section 'what would change the answer' "
    "(where the decision flips)": (
        "en mappe fra `blandetby robustness --out`: tilføjer afsnittet 'hvad der ville ændre "
        "svaret' (hvor beslutningen vender)"
    ),
    "a folder of `blandetby sensitivity --out`: adds the assumptions that move each output most "
    "to that section": (
        "en mappe fra `blandetby sensitivity --out`: tilføjer de antagelser, der flytter hvert "
        "resultat mest, til det afsnit"
    ),
    "also write one formatted Excel workbook: profile, risk by area and year, waits by group, "
    "load per housing organisation, the plan": (
        "skriv også ét formateret Excel-regneark: profil, risiko pr. boligområde og år, "
        "ventetider pr. målgruppe, belastning pr. boligorganisation, planen"
    ),
    # dashboard
    "scenario TOML files (the page starts with the first; the others are a choice)": (
        "scenariefiler (TOML) (siden starter med den første; de andre kan vælges)"
    ),
    "port on 127.0.0.1 (default 0: a free one, printed)": (
        "port på 127.0.0.1 (standard 0: en ledig, som udskrives)"
    ),
    "years simulated at start (1–50, default 10)": "år, der simuleres ved start (1–50, standard 10)",
    "paired replications at start (1–40, default 6)": (
        "parrede gentagelser ved start (1–40, standard 6)"
    ),
    "worker processes for the replications (default 2)": (
        "arbejdsprocesser til gentagelserne (standard 2)"
    ),
    "seed shared by every run (default 0)": "startværdi fælles for alle kørsler (standard 0)",
    "folder for saved scenarios and reports, and the cache of runs under cache/ (default "
    "runs/dashboard)": (
        "mappe til gemte scenarier og rapporter og til mellemlageret af kørsler under cache/ "
        "(standard runs/dashboard)"
    ),
    # followup
    "the run folder": "kørselsmappen",
    "the year's department figures, in the scenario's department CSV format": (
        "årets afdelingstal i scenariets CSV-format for afdelinger"
    ),
    "the calendar year the figures describe (default: the first simulated year)": (
        "det kalenderår, tallene beskriver (standard: det første simulerede år)"
    ),
    "folder for the CSV tables (default: RUN_DIR/followup-<year>)": (
        "mappe til CSV-tabellerne (standard: RUN_DIR/followup-<år>)"
    ),
    "also write the tables as a workbook": "skriv også tabellerne som et Excel-regneark",
    # classify
    "area values: area, year, residents and the criteria in per cent (header row first)": (
        "boligområdernes værdier: område, år, beboere og kriterierne i procent (overskriftsrække "
        "først)"
    ),
    "the law that classifies: 2021 (current, default), 2018, 2014 or 2010": (
        "den lov, der placerer på listerne: 2021 (gældende, standard), 2018, 2014 eller 2010"
    ),
    "the file holds each year's raw values; take the 2-year means the law prescribes (default: "
    "the values are as published)": (
        "filen har hvert års rå værdier; brug de 2-årige gennemsnit, loven foreskriver "
        "(standard: værdierne er som offentliggjort)"
    ),
    "residents an area needs to be listed (default: the law's 1000)": (
        "beboere, et boligområde skal have for at komme på en liste (standard: lovens 1000)"
    ),
    "consecutive parallelsamfund years that make an omdannelsesområde (default: the regime's, "
    "2021: 5, 2018: 4)": (
        "sammenhængende år som parallelsamfund, der gør et boligområde til omdannelsesområde "
        "(standard: lovgrundlagets, 2021: 5, 2018: 4)"
    ),
    "write the full classification here (.csv, or .parquet) instead of printing a table": (
        "skriv hele placeringen på listerne her (.csv eller .parquet) i stedet for at udskrive "
        "en tabel"
    ),
    "how the per-cent columns are written: auto (as each header says: _pct or %% = per cent "
    "0–100, _share = 0–1; a column whose values contradict it is refused), percent, or "
    "fractions (multiplied by 100)": (
        "hvordan procentkolonnerne er skrevet: auto (som hver overskrift siger: _pct eller %% = "
        "procent 0–100, _share = 0–1; en kolonne, hvis værdier siger det imod, afvises), percent "
        "eller fractions (brøk, ganges med 100)"
    ),
    # report: the follow-up section
    "a year's actual department figures (the scenario's department CSV format): adds the "
    "section 'Follow-up' (traffic lights per department, actual against the projected band, the "
    "areas' lists)": (
        "et års faktiske afdelingstal (samme CSV-format som scenariets afdelinger): tilføjer "
        "afsnittet 'Opfølgning' (trafiklys pr. afdeling, faktisk mod det fremskrevne bånd, "
        "boligområdernes lister)"
    ),
    "the calendar year the --followup figures describe (default: the first simulated)": (
        "det kalenderår, tallene i --followup beskriver (standard: det første simulerede)"
    ),
    "the run the --followup figures are held against: the agreement signed (default: the first, "
    "the reference)": (
        "den kørsel, tallene i --followup holdes op imod: den aftale, der blev indgået (standard: "
        "den første, referencen)"
    ),
    # notebook-html
    "write an executed notebook as one self-contained HTML file to hand over: no code, no "
    "network reference, figures embedded": (
        "skriv en kørt notesbog som én selvstændig HTML-fil til at give videre: uden kode, uden "
        "henvisninger til nettet, med figurerne indlejret"
    ),
    "an executed notebook": "en kørt notesbog",
    "the HTML file (default: the notebook's name with .html)": (
        "HTML-filen (standard: notesbogens navn med .html)"
    ),
    "the page's title (default: the notebook's first heading, else its file name)": (
        "sidens titel (standard: notesbogens første overskrift, ellers dens filnavn)"
    ),
}
"""English help text → Danish help text."""
