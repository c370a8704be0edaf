"""Danish and English words and number formats for what planners read (profiles, reports).

Danish text uses the decimal comma and a dot between thousands (12.345,6); English the reverse
(12,345.6). Every term a table or report shows is looked up here, so that a Danish output has no
English left in it; a missing term is an error, not a silent fallback.

Examples
--------
>>> number(12345.678, 1, "da"), number(12345.678, 1, "en")
('12.345,7', '12,345.7')
>>> percent(0.345, 1, "da")
'34,5 %'
>>> term("udsat", "da")
'Udsat boligområde'
"""

from __future__ import annotations

import math
from typing import Literal

__all__ = ["LANGUAGES", "Language", "has_term", "number", "percent", "signed", "term"]

Language = Literal["da", "en"]
LANGUAGES: tuple[Language, ...] = ("da", "en")

TERMS: dict[str, tuple[str, str]] = {
    # the legal lists
    "udsat": ("Udsat boligområde", "Vulnerable area (udsat boligområde)"),
    "parallelsamfund": ("Parallelsamfund", "Parallel society (parallelsamfund)"),
    "omdannelsesomraade": ("Omdannelsesområde", "Transformation area (omdannelsesområde)"),
    "forebyggelsesomraade": ("Forebyggelsesområde", "Prevention area (forebyggelsesområde)"),
    "none": ("ingen", "none"),
    # identities
    "department": ("Afdeling", "Department"),
    "name": ("Navn", "Name"),
    "organisation": ("Boligorganisation", "Housing organisation"),
    "area": ("Boligområde", "Area"),
    "group": ("Målgruppe", "Referral group"),
    "departments": ("Afdelinger", "Departments"),
    "dwellings": ("Boliger", "Dwellings"),
    "households": ("Husstande", "Households"),
    "residents": ("Beboere", "Residents"),
    # the criteria
    "outside_work_education": ("Uden for arbejde/uddannelse", "Outside work/education"),
    "conviction_ratio": ("Dømte ift. landsgns.", "Convicted vs national"),
    "basic_education": ("Kun grundskole", "Basic school only"),
    "income": ("Indkomst ift. regionen", "Income vs region"),
    "nonwestern": ("Ikke-vestlige", "Non-western"),
    "margin": ("margin", "margin"),
    "criteria_met": ("Kriterier opfyldt", "Criteria met"),
    "lists": ("Lister", "Lists"),
    # letting and referral
    "tier": ("Trin", "Tier"),
    "referral_share": ("Anvisningsandel", "Referral share"),
    "mean_rent": ("Gns. husleje (kr./md.)", "Mean rent (kr/month)"),
    "affordable": ("Betalbare boliger", "Affordable dwellings"),
    "turnover": ("Fraflytning", "Turnover"),
    "vacancies_per_year": ("Ledige boliger pr. år", "Vacancies per year"),
    "referral_capacity": ("Anvisningsret pr. år", "Referral capacity per year"),
    "affordable_capacity": (
        "Betalbar anvisningsret pr. år",
        "Affordable referral capacity per year",
    ),
    "arrivals_per_year": ("Nye sager pr. år", "New cases per year"),
    "fitting_capacity": ("Passende anvisningsret pr. år", "Fitting referral capacity per year"),
    "of_which_outside_lists": ("heraf uden for listeområder", "of it outside listed areas"),
    "need_vs_capacity": ("Anvisningsbehov og anvisningsret", "Referral need and referral capacity"),
    "closest_to_threshold": (
        "Afdelinger tættest på en grænse",
        "Departments closest to a threshold",
    ),
    "areas_title": ("Boligområder: kriterier og lister", "Areas: criteria and lists"),
    "data_years_note": (
        "Data: afdelingsdataene beskriver {data_year}; listerne og trinene herunder er dem, de "
        "giver 1. december {data_year}. I en kørsel sammenligner listerne 1. december år Å tallene "
        "for {lists} (uden for arbejde/uddannelse og domme: gennemsnit af {lists_before} og "
        "{lists}), og trin og anvisningsplaner bruger afdelingstallene for {tiers}; indtil da "
        "afdelingsdataene.",
        "Data: the department data describes {data_year}; the lists and tiers below are those it "
        "gives on 1 December {data_year}. In a run, the lists of 1 December of year Y compare the "
        "figures of {lists} (outside work/education and convictions: the mean of {lists_before} "
        "and {lists}), and tiers and referral plans read the department figures of {tiers}; "
        "until then, the department data.",
    ),
    "organisations_title": ("Boligorganisationer", "Housing organisations"),
    "synthetic": ("SYNTETISKE DATA", "SYNTHETIC DATA"),
    "total": ("I alt", "Total"),
    # ---------------------------------------------------------------------------------------------
    # the decision page (simulation.report.decision)
    "section_decision": ("Beslutningsoplæg", "The decision"),
    "no_list": ("ingen liste", "no list"),
    "decision_recommend": (
        "Anbefaling: {name}. Den giver færrest områdeår på listerne, {area_years}, blandt de "
        "aftaler, der skaffer mindst {share} af de anviste husstande en bolig inden for 6 "
        "måneder (den skaffer {housed}).",
        "Recommendation: {name}. It gives the fewest area-years on the lists, {area_years}, among "
        "the agreements that house at least {share} of referred households within 6 months (it "
        "houses {housed}).",
    ),
    "decision_none_meets": (
        "Ingen af aftalerne skaffer {share} af de anviste husstande en bolig inden for 6 måneder. "
        "Den, der kommer nærmest, er {name}; den nævnes her, men opfylder ikke kravet.",
        "None of the agreements houses {share} of referred households within 6 months. The "
        "closest is {name}; it is named here, but it does not meet the requirement.",
    ),
    "decision_rule": (
        "Reglen: blandt aftaler, der skaffer mindst {share} af de anviste husstande en bolig "
        "inden for {months} måneder (gennemsnit over gentagelserne), vælges den med færrest "
        "områdeår som udsat boligområde eller forebyggelsesområde. Kravet ændres med "
        "--min-housed-share.",
        "The rule: among the agreements that house at least {share} of referred households "
        "within {months} months (mean over replications), the one with the fewest area-years as "
        "an udsat area or prevention area. Change the requirement with --min-housed-share.",
    ),
    "decision_runner_up_clear": (
        "Næstbedst er {name} med {difference} områdeår mere; forskellen er statistisk sikker.",
        "Second is {name} with {difference} area-years more; the difference is statistically "
        "certain.",
    ),
    "decision_runner_up_unclear": (
        "Næstbedst er {name} med {difference} områdeår mere; den forskel kan skyldes "
        "tilfældighed, så de to er lige gode bud, indtil flere gentagelser skiller dem ad.",
        "Second is {name} with {difference} area-years more; that difference may be chance, so "
        "the two are equal candidates until more replications tell them apart.",
    ),
    "decision_figure": ("Nøgletal (95 %-interval)", "Key figure (95 % interval)"),
    "decision_figures_caption": (
        "Nøgletal pr. aftale, gennemsnit over {replications} gentagelser med 95 %-interval; ★ er "
        "den anbefalede.",
        "Key figures per agreement, mean over {replications} replications with 95 % interval; ★ "
        "marks the recommended one.",
    ),
    "decision_area_years": (
        "Områdeår på listerne i perioden (udsat eller forebyggelse)",
        "Area-years on the lists over the period (udsat or prevention)",
    ),
    "decision_listed_final": (
        "Områder på en liste i slutåret",
        "Areas on a list in the final year",
    ),
    "decision_housed": (
        "Anviste husstande med bolig inden for 6 mdr.",
        "Referred households housed within 6 months",
    ),
    "decision_slowest": (
        "Heraf {group} (den langsomste målgruppe)",
        "Of whom {group} (the slowest group)",
    ),
    "decision_slowest_warning": (
        "Bemærk: under {name} får kun {share} af målgruppen {group} en bolig inden for 6 "
        "måneder. Reglen ser på alle anviste husstande under ét; vil I også stille krav til hver "
        "målgruppe, så læs rækken ovenfor.",
        "Note: under {name} only {share} of {group} are housed within 6 months. The rule looks "
        "at all referred households together; to require it of every group, read the row above.",
    ),
    "decision_meets_rule": ("Opfylder kravet", "Meets the requirement"),
    "decision_price": (
        "Prisen for forsigtighed: {name} frem for den hurtigste aftale, {fastest}, undgår "
        "{avoided} områdeår på listerne, mens {late} flere anviste husstande venter mere end 6 "
        "måneder i perioden; det er {per_100} områdeår pr. 100 husstande uden bolig inden for "
        "6 måneder.",
        "The price of caution: {name} rather than the fastest agreement, {fastest}, avoids "
        "{avoided} area-years on the lists, while {late} more referred households wait more than "
        "6 months over the period; that is {per_100} area-years per 100 households not housed "
        "within 6 months.",
    ),
    "decision_no_price": (
        "{name} er også den hurtigste aftale: forsigtigheden koster ikke længere ventetid her.",
        "{name} is also the fastest agreement: caution costs no longer waits here.",
    ),
    "decision_risk_list": ("Risiko for listen", "At risk of the list"),
    "decision_starts": ("starter", "starts"),
    "decision_from_year": ("typisk fra {year}", "typically from {year}"),
    "decision_risk_caption": (
        "Områder i risiko: andelen af gentagelserne, hvor området i mindst ét af de simulerede år "
        "kommer på en alvorligere liste end den, det starter på (startåret tæller ikke med; et "
        "skridt ned er en forbedring). Områder med mindst {threshold} under en af aftalerne.",
        "Areas at risk: the share of replications in which the area is, in at least one simulated "
        "year, on a graver list than the one it starts on (the starting year does not count; a "
        "step down is an improvement). Areas at {threshold} or more under some agreement.",
    ),
    "decision_no_risks": (
        "Intet område kommer på en alvorligere liste end sin startliste i mindst {threshold} af "
        "gentagelserne under nogen af aftalerne.",
        "No area moves onto a graver list than its starting one in {threshold} or more of the "
        "replications under any agreement.",
    ),
    "decision_staying": (
        "Områder, der starter på en liste, under {name} – andel af gentagelserne, hvor de stadig "
        "er på listen (eller en alvorligere) i {year}: {areas}.",
        "Areas that start on a list, under {name} – share of replications in which they are still "
        "on it (or a graver one) in {year}: {areas}.",
    ),
    "decision_caveat_label": ("Vigtigste forbehold", "Main caveat"),
    "decision_synthetic": (
        "Tallene bygger på syntetiske data (Eksempelby er opdigtet).",
        "The figures rest on synthetic data (Eksempelby is made up).",
    ),
    "decision_caveat": (
        "Ventetiderne er ikke kalibreret mod målte ventetider, og modellen har hverken nybyggeri "
        "eller nedrivning; brug tallene til at sammenligne aftalerne med hinanden, ikke som en "
        "prognose.",
        "The waits are not calibrated against measured waits, and the model has no new building "
        "or demolition; use the figures to compare the agreements with one another, not as a "
        "forecast.",
    ),
    "decision_power": (
        "Med {replications} gentagelser kan en forskel på under {area_years} områdeår eller "
        "{points} procentpoint i andelen med bolig inden for 6 måneder ikke skelnes fra "
        "tilfældighed. At en forskel ikke er statistisk sikker, betyder ikke, at aftalerne er "
        "lige sikre.",
        "With {replications} replications a difference below {area_years} area-years or "
        "{points} percentage points in the share housed within 6 months cannot be told from "
        "chance. A difference that is not statistically certain does not make the agreements "
        "equally safe.",
    ),
    "decision_power_more": (
        "Omkring {replications} gentagelser skal der til for at skelne én områdeår.",
        "About {replications} replications are needed to tell one area-year apart.",
    ),
    "decision_power_none": (
        "Med {replications} gentagelse kan ingen forskel skelnes fra tilfældighed; kør mindst 2, "
        "helst 20.",
        "With {replications} replication no difference can be told from chance; run at least 2, "
        "better 20.",
    ),
    # ---------------------------------------------------------------------------------------------
    # follow-up (simulation.report.followup)
    "followup_title": (
        "Opfølgning på {name}, {year}: de faktiske tal over for fremskrivningen ({replications} "
        "gentagelser)",
        "Follow-up of {name}, {year}: the actual figures against the projection ({replications} "
        "replications)",
    ),
    "followup_counts": (
        "Trafiklys pr. afdeling: {green} grønne, {yellow} gule, {red} røde.",
        "Traffic lights per department: {green} green, {yellow} yellow, {red} red.",
    ),
    "light": ("Lys", "Light"),
    "followup_sheet_departments": ("Trafiklys pr. afdeling", "Lights per department"),
    "followup_sheet_areas": ("Områder og lister", "Areas and lists"),
    "light:green": ("grøn", "green"),
    "light:yellow": ("gul", "yellow"),
    "light:red": ("rød", "red"),
    "followup_outside": (
        "Afdelinger at se på (gule, røde eller uden for båndet); andel uden for arbejde eller "
        "uddannelse, 18–64 år:",
        "Departments to look at (yellow, red or outside the band); share outside work or "
        "education, 18–64:",
    ),
    "followup_projected": ("Fremskrevet", "Projected"),
    "followup_actual": ("Faktisk", "Actual"),
    "followup_band": ("Bånd", "Band"),
    "followup_position": ("Placering", "Position"),
    "position:below": ("under båndet", "below the band"),
    "position:within": ("inden for båndet", "within the band"),
    "position:above": ("over båndet", "above the band"),
    "followup_hidden": (
        "… og {count} grønne afdelinger inden for båndet (alle står i followup_departments.csv).",
        "… and {count} green departments within the band (all are in followup_departments.csv).",
    ),
    "followup_area": (
        "{area}: på listen {lists} efter de faktiske tal (fremskrevet: {probability} af "
        "gentagelserne).",
        "{area}: on the list {lists} by the actual figures (projected: {probability} of the "
        "replications).",
    ),
    "followup_note": (
        "Rød: et kriterium er over grænsen for udsatte boligområder; gul: inden for {margin} "
        "procentpoint af den (for dømte: 0,5 gange landsgennemsnittet); båndet er 10–90 % af "
        "gentagelserne.",
        "Red: a criterion is beyond the udsat threshold; yellow: within {margin} percentage "
        "points of it (for convictions: 0.5 times the national rate); the band is 10–90 % of "
        "the replications.",
    ),
    # ---------------------------------------------------------------------------------------------
    # the report's steps as write_report says them (simulation.report.build.ReportStep)
    "report_step:follow_up": (
        "følger {file} op mod fremskrivningen",
        "following up {file} against the projection",
    ),
    "report_step:read": ("læser kørselsmapperne ({count})", "reading the run folders ({count})"),
    "report_step:render": (
        "beregner beslutningen og tegner figurerne",
        "computing the decision and drawing the figures",
    ),
    "report_step:workbook": ("skriver regnearket {file}", "writing the workbook {file}"),
    # ---------------------------------------------------------------------------------------------
    # the report (simulation.report.build): title, sections, notes
    "report_title": (
        "Rapport om anvisnings- og udlejningsaftalen",
        "Report on the referral and letting agreement",
    ),
    "report_generated": (
        "Dannet {date} alene ud fra gemte resultater (blandetby {version}).",
        "Generated {date} from stored results only (blandetby {version}).",
    ),
    "report_runs_line": (
        "{label}: {replications} gentagelser × {years} år fra {start}, startværdi {seed}",
        "{label}: {replications} replications × {years} years from {start}, seed {seed}",
    ),
    "report_synthetic_banner": (
        "SYNTETISKE DATA: {labels} bygger på opdigtede data; ingen rigtig afdeling eller person er beskrevet.",
        "SYNTHETIC DATA: {labels} use made-up data; no real estate or person is described.",
    ),
    "report_incomplete_banner": (
        "UFÆRDIG: {label} har kun {finished} af {asked} gentagelser færdige (kørslen blev "
        "afbrudt eller kører endnu); tallene bygger kun på dem. Kør samme kommando igen for at "
        "gøre den færdig.",
        "INCOMPLETE: {label} has only {finished} of {asked} replications finished (the run was "
        "interrupted or is still running); the figures rest on those alone. Run the same command "
        "again to finish it.",
    ),
    "report_contents": ("Indhold", "Contents"),
    "section_agreement": ("Aftalen i ord", "The agreement in words"),
    "section_headline": ("Hovedresultatet", "The headline"),
    "section_evidence": ("Dokumentationen", "The evidence"),
    "section_profile": ("Bilag: udgangspunktet", "Appendix: the starting point"),
    "section_plan": ("Anvisningsplanen", "The referral plan"),
    "section_details": ("Bilag: kriterier pr. område", "Appendix: criteria per area"),
    "section_assumptions": (
        "Bilag: antagelser og kilder",
        "Appendix: assumptions and their sources",
    ),
    # the agreement in words
    "scenarios_title": ("Scenarierne", "The scenarios"),
    "differences_title": ("Hvad der er forskelligt", "What differs"),
    "settings_title": ("Aftalens vigtigste indstillinger", "The agreement's main settings"),
    "scenario": ("Scenarie", "Scenario"),
    "scenario_file": ("Scenariefil", "Scenario file"),
    "description": ("Beskrivelse", "Description"),
    "synthetic_yes": ("syntetiske data", "synthetic data"),
    "reference_marker": ("reference", "reference"),
    "everything_else_same": (
        "Alt andet i scenarierne er ens.",
        "Everything else in the scenarios is the same.",
    ),
    "nothing_differs": (
        "Scenarierne har samme indstillinger; kun navnene er forskellige.",
        "The scenarios have the same settings; only their names differ.",
    ),
    "one_scenario": (
        "Rapporten handler om ét scenarie; her er aftalens indstillinger.",
        "The report is about one scenario; these are its agreement's settings.",
    ),
    "values_per_scenario": ("Værdierne pr. scenarie", "The values per scenario"),
    "risk_period": ("I perioden {first}–{last}", "In the period {first}–{last}"),
    "risk_start_status": ("Starter som", "Starts as"),
    "risk_not_graver": ("ikke en forværring", "not a step up"),
    "risk_few_replications": (
        "Kun {replications} gentagelser: sandsynlighederne år for år går i spring på {step} og "
        "svinger tilfældigt fra år til år (samme udsving i alle aftaler, fordi de deler "
        "tilfældige tal). Læs kolonnen for hele perioden; år-for-år-tal kræver mindst {needed} "
        "gentagelser.",
        "Only {replications} replications: the year-by-year probabilities move in steps of {step} "
        "and jump at random from year to year (the same jumps in every agreement, because they "
        "share random numbers). Read the column for the whole period; year-by-year figures need "
        "at least {needed} replications.",
    ),
    "in_order": ("i rækkefølgen {labels}", "in the order {labels}"),
    # values in words
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "value_default": ("standard", "default"),
    "value_missing": ("ikke sat", "not set"),
    "value:next_vacancy": ("næste ledige bolig", "next vacancy"),
    "value:first_come": ("først til mølle", "first come, first served"),
    "value:threshold_rule": ("tærskelregel", "threshold rule"),
    "value:areas": ("områder", "areas"),
    "value:departments": ("afdelinger", "departments"),
    "value:both": ("begge", "both"),
    "value:optimised": ("optimeret plan (LP)", "optimised plan (LP)"),
    "value:employment": ("arbejde", "employment"),
    "value:education": ("uddannelse", "education"),
    "value:commuter": ("pendler", "commuter"),
    "value:family_with_children": ("børnefamilie", "family with children"),
    "value:senior_downsizing": ("senior, der flytter til mindre", "senior downsizing"),
    "value:any": ("mindst én", "any"),
    "value:all": ("alle", "all"),
    "value:auto": ("automatisk", "automatic"),
    "tier_when": ("når {match} af: {conditions}", "when {match} of: {conditions}"),
    "tier_always": ("alle øvrige afdelinger", "every other department"),
    # the headline
    "summary_title": ("Sammenfatning", "Summary"),
    "risk_title": ("Risiko for at komme på listerne", "Risk of the lists"),
    "risk_intro": (
        "Sandsynlighed = andelen af gentagelser, hvor området er på listen den 1. december det år; "
        "perioden = andelen, hvor det er på listen i mindst ét simuleret år (startåret tæller ikke "
        "med). Rødt er en risiko: en alvorligere liste end den, området starter på. Gråt er at "
        "blive på sin liste eller gå et skridt ned. Kun områder, der er på en liste i mindst ét "
        "år, er vist; de alvorligste risici står øverst.",
        "Probability = the share of replications in which the area is on the list on 1 December "
        "of that year; the period = the share in which it is on the list in at least one simulated "
        "year (the starting year does not count). Red is a risk: a graver list than the one the "
        "area starts on. Grey is staying on its list or a step down. Only areas on a list in at "
        "least one year are shown; the gravest risks come first.",
    ),
    "risk_caption": (
        "{label}: sandsynlighed for at være på listen",
        "{label}: probability of being on the list",
    ),
    "risk_none": (
        "{label}: intet område er på en liste i nogen gentagelse.",
        "{label}: no area is on any list in any replication.",
    ),
    "list": ("Liste", "List"),
    "year_start": ("{year} (start)", "{year} (start)"),
    "year_final": ("{year} (sidste år)", "{year} (final year)"),
    "waits_title": ("Ventetid på kommunal anvisning", "Waiting time for a municipal referral"),
    "waits_caption": (
        "Måneder fra en husstand kommer i anvisningskøen, til den får en bolig (Kaplan–Meier: "
        "husstande, der aldrig fik bolig, tæller med, censureret ved udtræden eller slut; – hvor "
        "under halvdelen fik bolig); aldrig anvist: forlod køen eller venter stadig; udsat: lejemålet "
        "ophørte, og husstanden kom i køen igen. Middel over gentagelser med 95 %-interval",
        "Months from joining the referral queue to a home (Kaplan–Meier: households never housed "
        "count, censored on leaving or at the end; – where fewer than half were housed); never "
        "housed: left the queue or still waiting; evicted: the tenancy failed and the household "
        "joined the queue again. Mean over replications with 95 % interval",
    ),
    "housed_per_year": ("Fik bolig pr. år", "Housed per year"),
    "wait_median": ("Median (mdr.)", "Median (months)"),
    "wait_p90": ("90 %-fraktil (mdr.)", "90th percentile (months)"),
    "waiting_at_end": ("Venter ved slut", "Waiting at the end"),
    "never_housed": ("Aldrig anvist bolig", "Never housed"),
    "evicted": ("Lejemål ophørt (udsat)", "Tenancy failed (evicted)"),
    "all_groups": ("Alle målgrupper", "All groups"),
    "load_title": ("Anvisninger pr. boligorganisation", "Referral load per housing organisation"),
    "load_caption": (
        "Udlejninger ved kommunal anvisning pr. år (middel over de simulerede år og gentagelser, "
        "95 %-interval)",
        "Lettings by municipal referral per year (mean over the simulated years and replications, "
        "95 % interval)",
    ),
    "referrals_per_year": ("Anvisninger pr. år", "Referral lettings per year"),
    "referrals_per_100": ("Pr. 100 boliger pr. år", "Per 100 dwellings per year"),
    # the summary paragraph
    "rec_fastest": (
        "{label} skaffer hurtigst bolig til de anviste husstande: {share} får bolig inden for 6 "
        "måneder (90 %-fraktil: {p90} måneder).",
        "{label} houses referral households fastest: {share} are housed within 6 months (90th "
        "percentile: {p90} months).",
    ),
    "rec_fewest_lists": (
        "{label} holder flest områder ude af listerne: {area_years} områdeår på en liste over "
        "perioden og i gennemsnit {final} områder på en liste den 1. december {year}.",
        "{label} keeps most areas off the lists: {area_years} area-years on a list over the period "
        "and on average {final} listed areas on 1 December {year}.",
    ),
    "rec_same_best": (
        "{label} er altså bedst på begge mål.",
        "So {label} is best on both counts.",
    ),
    "rec_tradeoff": (
        "Der er en afvejning: hurtig bolig til de anviste husstande koster områder på listerne.",
        "There is a trade-off: housing referral households fast costs areas on the lists.",
    ),
    "rec_paired": (
        "Sammenlignet med {reference} (parret over {pairs} gentagelser med samme startværdi) ændrer {label} "
        "andelen med bolig inden for 6 måneder med {housed} (95 %-interval {housed_interval}) og "
        "antallet af områdeår på en liste med {lists} ({lists_interval}).",
        "Compared with {reference} (paired over {pairs} replications with the same seed), {label} "
        "changes the share housed within 6 months by {housed} (95 % interval {housed_interval}) "
        "and the area-years on a list by {lists} ({lists_interval}).",
    ),
    "rec_paired_lists": (
        "Sammenlignet med {reference} (parret over {pairs} gentagelser med samme startværdi) ændrer "
        "{label} antallet af områdeår på en liste med {lists} (95 %-interval {lists_interval}).",
        "Compared with {reference} (paired over {pairs} replications with the same seed), {label} "
        "changes the area-years on a list by {lists} (95 % interval {lists_interval}).",
    ),
    "rec_lists_clear": (
        "Forskellen er statistisk sikker (intervallet udelukker 0).",
        "The difference is clear (the interval excludes 0).",
    ),
    "rec_no_referrals": (
        "Ingen husstande blev anvist i perioden.",
        "No household was referred in the period.",
    ),
    "rec_single_no_referrals": (
        "I {label} blev ingen husstande anvist, og der er {area_years} områdeår på en liste over "
        "perioden.",
        "Under {label}, no household was referred, and there are {area_years} area-years on a "
        "list over the period.",
    ),
    "rec_clear": (
        "Begge forskelle er statistisk sikre (intervallet udelukker 0).",
        "Both differences are clear (the interval excludes 0).",
    ),
    "rec_one_clear": (
        "Kun forskellen i {measure} er statistisk sikker; den anden kan skyldes tilfældighed.",
        "Only the difference in {measure} is clear; the other may be chance.",
    ),
    "rec_none_clear": (
        "Ingen af forskellene er statistisk sikre med så få gentagelser (intervallerne omfatter 0).",
        "Neither difference is clear with this few replications (the intervals include 0).",
    ),
    "percentage_points": ("procentpoint", "percentage points"),
    "measure_housed": ("bolig inden for 6 måneder", "housing within 6 months"),
    "measure_lists": ("områdeår på en liste", "area-years on a list"),
    "rec_unpaired": (
        "Kørslerne har ikke samme startværdi og tidshorisont, så forskellene er ikke parrede; sammenlign "
        "intervallerne i tabellerne.",
        "The runs do not share seed and horizon, so differences are not paired; compare the "
        "intervals in the tables.",
    ),
    "rec_single": (
        "I {label} får {share} af de anviste husstande bolig inden for 6 måneder (90 %-fraktil: "
        "{p90} måneder), og der er {area_years} områdeår på en liste over perioden.",
        "Under {label}, {share} of referral households are housed within 6 months (90th "
        "percentile: {p90} months), and there are {area_years} area-years on a list over the "
        "period.",
    ),
    "rec_risk": (
        "Størst risiko: {area} er på listen {list} med sandsynlighed {probability} i {year} "
        "({label}).",
        "Highest risk: {area} is on the list {list} with probability {probability} in {year} "
        "({label}).",
    ),
    "rec_at_risk": (
        "Områder uden liste ved start med mindst 50 % risiko for en liste i {year}: {areas}.",
        "Areas on no list at the start with at least a 50 % risk of a list in {year}: {areas}.",
    ),
    "rec_no_risk": (
        "Intet område kommer på en liste i nogen gentagelse.",
        "No area comes onto a list in any replication.",
    ),
    "rec_load": (
        "Flest anvisninger pr. 100 boliger: {organisation} med {value} pr. år ({label}).",
        "Most referrals per 100 dwellings: {organisation} with {value} per year ({label}).",
    ),
    # the evidence
    "lists_band_title": ("Områder på listerne", "Areas on the lists"),
    "criteria_fans_title": ("De fire kriterier pr. område", "The four criteria per area"),
    "criteria_fans_intro": (
        "Median (linje) og 25–75 % og 10–90 % af gentagelserne (bånd); fuldt optrukket linje: "
        "grænsen for udsat boligområde, stiplet: forebyggelsesområde. Områderne tættest på en "
        "grænse er vist.",
        "Median (line) and 25–75 % and 10–90 % of replications (bands); solid line: the udsat "
        "threshold, dashed: the forebyggelse threshold. The areas closest to a threshold are "
        "shown.",
    ),
    "indicators_title": ("Nøgletal med 95 %-intervaller", "Indicators with 95 % intervals"),
    "indicators_caption": (
        "Middel over gentagelser [95 %-t-interval]; andele i procent",
        "Mean over replications [95 % t-interval]; shares in per cent",
    ),
    "differences_caption": (
        "forskelle (scenarie − {reference}) parret pr. gentagelse, andele i procentpoint; fed: "
        "intervallet udelukker 0",
        "differences (scenario − {reference}) paired by replication, shares in percentage "
        "points; bold: the interval excludes 0",
    ),
    "indicator": ("Nøgletal", "Indicator"),
    "difference_vs": ("{label} − {reference}", "{label} − {reference}"),
    "paired_note": (
        "Forskellene er parrede: gentagelse r af hvert scenarie har samme startværdi, så de samme "
        "husstande, anvisninger og livsbegivenheder indgår, hvor scenarierne ikke er forskellige.",
        "Differences are paired: replication r of every scenario uses the same seed, so the same "
        "households, arrivals and life events occur wherever the scenarios do not differ.",
    ),
    "unpaired_note": (
        "Kørslerne har ikke samme startværdi og tidshorisont; der vises ingen parrede forskelle.",
        "The runs do not share seed and horizon; no paired differences are shown.",
    ),
    "few_replications_note": (
        "Med kun én gentagelse kan der ikke beregnes intervaller.",
        "With a single replication no intervals can be computed.",
    ),
    "criteria_final_title": (
        "Kriterierne i sidste år pr. område",
        "The criteria in the final year per area",
    ),
    "criteria_final_caption": (
        "{year}: middel over gentagelser [95 %-interval]",
        "{year}: mean over replications [95 % interval]",
    ),
    "headroom_title": (
        "Parret forskel i afstanden til grænsen for udsat boligområde",
        "Paired difference in the distance to the udsat threshold",
    ),
    "headroom_caption": (
        "{year}: {label} − {reference}; positiv = længere fra grænsen (procentpoint eller "
        "forholdstal) [95 %-interval]; fed: intervallet udelukker 0",
        "{year}: {label} − {reference}; positive = further from the threshold (percentage "
        "points or ratio) [95 % interval]; bold: the interval excludes 0",
    ),
    "waits_figure_title": (
        "Ventetid på kommunal anvisning pr. målgruppe",
        "Waiting time for a municipal referral per group",
    ),
    "load_figure_title": (
        "Anvisninger pr. 100 boliger pr. boligorganisation",
        "Referral lettings per 100 dwellings per housing organisation",
    ),
    "figure_note_band": (
        "Middel over gentagelser med 95 %-interval",
        "Mean over replications with 95 % interval",
    ),
    # figures (simulation.report.plots and simulation.report.experiment_plots)
    "criterion:outside_work_education_share": (
        "Uden for arbejde eller uddannelse, 18–64 år",
        "Outside work or education, 18–64",
    ),
    "criterion:conviction_ratio": (
        "Dømte 18+ år ift. landsgennemsnittet",
        "Convicted 18+, relative to the nation",
    ),
    "criterion:basic_education_share": ("Kun grundskole, 30–59 år", "Basic school only, 30–59"),
    "criterion:income_ratio_region": (
        "Indkomst for 15–64-årige ift. regionen",
        "Income of 15–64, relative to the region",
    ),
    "side:above": ("over", "above"),
    "side:below": ("under", "below"),
    "fan_suptitle": (
        "{title}: median, 25–75 % og 10–90 % af gentagelserne (på listen {side} linjen; fuldt "
        "optrukket udsat, stiplet forebyggelse)",
        "{title}: median, 25–75 % and 10–90 % of replications (listed {side} the line; solid "
        "udsat, dashed forebyggelse)",
    ),
    "lists_suptitle": (
        "Områder på de lovbestemte lister hver 1. december (middel, 10–90 % af gentagelserne)",
        "Areas on the legal lists each 1 December (mean, 10–90 % of replications)",
    ),
    "legend_mean_band": (
        "Linje: middel over gentagelserne; bånd: 10–90 % af gentagelserne",
        "Line: mean over replications; band: 10–90 % of replications",
    ),
    "legend_median_band": (
        "Linje: median over gentagelserne; bånd: 10–90 % og 25–75 %",
        "Line: median over replications; bands: 10–90 % and 25–75 %",
    ),
    "legend_mean_interval": (
        "Søjle: middel over gentagelserne; streg: 95 %-interval",
        "Bar: mean over replications; whisker: 95 % interval",
    ),
    "areas_on_list": ("områder på listen", "areas on the list"),
    "months": ("måneder", "months"),
    "median": ("Median", "Median"),
    "percentile_90": ("90 %-fraktil", "90th percentile"),
    "per_100_axis": (
        "anvisninger pr. 100 boliger pr. år",
        "referral lettings per 100 dwellings per year",
    ),
    "plan_figure_title": (
        "Anvisningsplanen: belastning og råderum pr. afdeling",
        "The referral plan: load and headroom per department",
    ),
    "plan_load_axis": ("andel af ledige boliger anvist", "share of vacancies referred"),
    "plan_headroom_axis": ("råderum (personer)", "headroom (persons)"),
    "plan_load": ("belastning", "load"),
    "plan_agreed_share": ("aftalt anvisningsandel", "agreed referral share"),
    "plan_max_load": ("største belastning", "maximum load"),
    "plan_headroom_used": ("brugt råderum", "headroom used"),
    "plan_headroom_left": ("resterende råderum", "headroom left"),
    # the starting point (profile)
    "profile_intro": (
        "Profilen er beregnet ud fra scenariefilen {file} og dens afdelingsdata, før simuleringen.",
        "The profile is computed from the scenario file {file} and its department data, before "
        "any simulation.",
    ),
    "profile_missing": (
        "Scenariefilen {file} findes ikke længere, så profilen af udgangspunktet er udeladt.",
        "The scenario file {file} is gone, so the profile of the starting point is left out.",
    ),
    "profile_invalid": (
        "Scenariefilen {file} kunne ikke indlæses ({error}), så profilen er udeladt.",
        "The scenario file {file} could not be loaded ({error}), so the profile is left out.",
    ),
    "profile_changed": (
        "Bemærk: scenariefilen eller dens data er ændret siden kørslen; profilen viser dem, som de er nu.",
        "Note: the scenario file or its data has changed since the run; the profile shows them as "
        "they are now.",
    ),
    "profile_only_differences": (
        "Kun de tabeller, der adskiller sig fra udgangspunktet under {label}.",
        "Only the tables that differ from the starting point under {label}.",
    ),
    "profile_same_as": (
        "Udgangspunktet under {labels} er det samme som under {label}.",
        "The starting point under {labels} is the same as under {label}.",
    ),
    "parameters_only_differences": (
        "Kun parametre, hvor aftalerne er forskellige, er vist; de {same} parametre, der er ens "
        "i alle aftaler, står i hver kørsels run.json og i scenarios/README.md.",
        "Only the parameters in which the agreements differ are shown; the {same} parameters "
        "that are the same in every agreement are in each run's run.json and in "
        "scenarios/README.md.",
    ),
    "share_of_capacity": ("Andel af anvisningsretten", "Share of referral capacity"),
    "barred_share": (
        "Andel omfattet af anvisningsforbud (§ 59, stk. 6–7)",
        "Share with a barred trait",
    ),
    "with_margin": ("(margin)", "(margin)"),
    "profile_margin_note": (
        "Margin i parentes = afstanden til grænsen for udsat boligområde, positiv så længe "
        "kriteriet ikke er opfyldt: i procentpoint for andelene, i forholdstal for dømte.",
        "Margin in brackets = the distance to the udsat threshold, positive while the criterion "
        "is not met: in percentage points for the shares, as a ratio for convictions.",
    ),
    # the referral plan
    "plan_made_for": (
        "Planen er lavet ud fra scenariet {name}.",
        "The plan was made from the scenario {name}.",
    ),
    "plan_intro": (
        "Fra optimeringens mappe {folder}: planen for perioden, der spreder anvisningerne uden at "
        "skubbe en afdeling over loftet.",
        "From the optimiser's folder {folder}: the plan for the period that spreads the referrals "
        "without pushing a department over its ceiling.",
    ),
    "plan_groups_title": ("Målgrupper: behov og placering", "Groups: demand and placement"),
    "plan_departments_title": ("Afdelinger i planen", "Departments in the plan"),
    "plan_pairs_title": (
        "Anvisninger pr. afdeling og målgruppe",
        "Referrals per department and group",
    ),
    "plan_explanation_title": ("Forklaring", "Explanation"),
    "plan_figure_caption": (
        "Belastning (andel af de ledige boliger, der anvises) og råderum pr. afdeling",
        "Load (share of vacancies referred) and headroom per department",
    ),
    "plan_explanation_english": (
        "Optimeringens forklaring er på engelsk og står i {file}; tabellerne og figuren ovenfor "
        "viser de samme tal på dansk.",
        "The explanation is written by the optimiser ({file}).",
    ),
    "plan_missing_file": ("Filen {file} mangler i planmappen.", "The plan folder has no {file}."),
    "barred_suffix": ("omfattet af anvisningsforbud (§ 59, stk. 6–7)", "with a barred trait"),
    "binding:slots": ("pladser", "slots"),
    "binding:headroom": ("råderum", "headroom"),
    "binding:max_load": ("største belastning", "maximum load"),
    "binding:fits": ("passende boliger", "fitting dwellings"),
    "rows_truncated": (
        "Viser {shown} af {total} rækker ({order}).",
        "Showing {shown} of {total} rows ({order}).",
    ),
    "order_closest": ("dem tættest på en grænse", "those closest to a threshold"),
    "order_largest": ("de største", "the largest"),
    "order_most_referrals": ("flest anvisninger først", "most referrals first"),
    "demand": ("Behov", "Demand"),
    "placed": ("Placeret", "Placed"),
    "unplaced": ("Ikke placeret", "Unplaced"),
    "compatible_departments": ("Mulige afdelinger", "Compatible departments"),
    "vacancies": ("Ledige boliger", "Vacancies"),
    "slots": ("Anvisningspladser", "Referral slots"),
    "referrals": ("Anvisninger", "Referrals"),
    "load": ("Belastning", "Load"),
    "ceiling": ("Loft", "Ceiling"),
    "headroom_left": ("Resterende råderum (personer)", "Headroom left (persons)"),
    "binding_limit": ("Bindende grænse", "Binding limit"),
    "md:Referral plan": ("Anvisningsplan", "Referral plan"),
    "md:Summary": ("Sammenfatning", "Summary"),
    "md:Binding limits": ("Bindende grænser", "Binding limits"),
    "md:Shortfall": ("Husstande uden plads", "Shortfall"),
    "md:What one more slot, person of headroom or fitting dwelling is worth": (
        "Hvad én plads, én persons råderum eller én passende bolig mere er værd",
        "What one more slot, person of headroom or fitting dwelling is worth",
    ),
    "md:What one more slot or one more person of headroom is worth": (
        "Hvad én plads eller én persons råderum mere er værd",
        "What one more slot or one more person of headroom is worth",
    ),
    "md:group": ("Målgruppe", "group"),
    "md:demand": ("Behov", "demand"),
    "md:placed": ("Placeret", "placed"),
    "md:unplaced": ("Ikke placeret", "unplaced"),
    "md:assumption": ("Antagelse", "assumption"),
    "md:value": ("Værdi", "value"),
    "md:reason": ("Begrundelse", "reason"),
    # assumptions
    "parameters_title": ("Scenariets parametre", "The scenario's parameters"),
    "parameters_intro": (
        "Alle parametre med den værdi, kørslen brugte, og kilden bag standardværdien: [C] bekræftet "
        "i lovteksten eller på en officiel side, [S] sekundær kilde, [U] ubekræftet (en parameter "
        "med dokumenteret standardværdi), [A] en modelantagelse.",
        "Every parameter with the value the run used and the source behind its default: [C] "
        "confirmed in the law or an official page, [S] a secondary source, [U] unverified (a "
        "parameter with a documented default), [A] a modelling assumption.",
    ),
    "descriptions_in_english": (
        "Parametrenes beskrivelser, enheder og kilder står (på engelsk) i scenarios/README.md.",
        "The descriptions come from the scenario schema.",
    ),
    "key": ("Nøgle", "Key"),
    "parameter": ("Parameter", "Parameter"),
    "value": ("Værdi", "Value"),
    "unit": ("Enhed", "Unit"),
    "source": ("Kilde", "Source"),
    "model_assumptions_title": ("Antagelser i modellens kode", "Assumptions built into the code"),
    "model_assumptions_english": (
        "Modellens indbyggede antagelser (hvor mange voksne en husstand har, hvordan indkomster "
        "fordeles, hvornår listerne beregnes osv.) står med begrundelser i modellens "
        "dokumentation, simulation/MODEL.md, afsnittet »Assumptions« (på engelsk).",
        "The table is taken from the model's documentation (MODEL.md).",
    ),
    "model_assumptions_missing": (
        "Modellens dokumentation (MODEL.md) blev ikke fundet.",
        "The model's documentation (MODEL.md) was not found.",
    ),
    "section:top": ("Scenariet", "The scenario"),
    "section:municipality": ("Kommunen", "The municipality"),
    "section:legal": ("Lovgrundlaget", "The legal regime"),
    "section:areas": ("Boligområderne", "The areas"),
    "section:referral_groups": ("Målgrupperne for anvisning", "The referral groups"),
    "section:applicants": ("Ansøgerne på ventelisterne", "The waiting-list applicants"),
    "section:agreement": ("Aftalen", "The agreement"),
    "section:behaviour": ("Husstandenes adfærd", "Household behaviour"),
    "section:optimiser": ("Optimeringen af anvisninger", "The referral optimiser"),
    "section:trends": ("Tendenser udefra", "Trends from outside"),
    "section:horizon": ("Perioden", "The horizon"),
    # indicators (simulation.experiments.compare.INDICATORS)
    "indicator:udsat_final": ("Udsatte områder, sidste 1. dec.", "Udsat areas, last 1 Dec"),
    "indicator:parallelsamfund_final": (
        "Parallelsamfund, sidste 1. dec.",
        "Parallelsamfund, last 1 Dec",
    ),
    "indicator:omdannelsesomraade_final": (
        "Omdannelsesområder, sidste 1. dec.",
        "Omdannelsesområder, last 1 Dec",
    ),
    "indicator:forebyggelsesomraade_final": (
        "Forebyggelsesområder, sidste 1. dec.",
        "Forebyggelsesområder, last 1 Dec",
    ),
    "indicator:listed_final": ("Områder på en liste, sidste 1. dec.", "Listed areas, last 1 Dec"),
    "indicator:listed_area_years": (
        "Områdeår på en liste, alle år",
        "Listed area-years, all years",
    ),
    "indicator:wait_median_months": ("Ventetid, median (mdr.)", "Referral wait, median (months)"),
    "indicator:wait_p90_months": ("Ventetid, 90 %-fraktil (mdr.)", "Referral wait, p90 (months)"),
    "indicator:wait_mean_months": ("Ventetid, middel (mdr.)", "Referral wait, mean (months)"),
    "indicator:housed_within_6_months_share": ("Bolig inden for 6 mdr.", "Housed within 6 months"),
    "indicator:not_housed_within_6_months": (
        "Ikke i bolig inden for 6 mdr.",
        "Not housed within 6 months",
    ),
    "indicator:waiting_at_end": ("Venter stadig ved slut", "Still waiting at the end"),
    "indicator:never_housed": ("Aldrig anvist bolig", "Never housed"),
    "indicator:lapsed_claims_per_year": (
        "Bortfaldne anvisningsretter pr. år",
        "Lapsed referral claims per year",
    ),
    "indicator:vacant_months_per_year": (
        "Tomme boligmåneder pr. år",
        "Empty dwelling-months per year",
    ),
    "indicator:vacant_rent_department_kr_per_year": (
        "Lejetab, afdelingerne (kr. pr. år)",
        "Vacancy loss, departments (kr per year)",
    ),
    "indicator:vacant_rent_municipality_kr_per_year": (
        "Tomgangsleje, kommunen (kr. pr. år)",
        "Tomgangsleje, municipality (kr per year)",
    ),
    "indicator:evicted": ("Lejemål ophørt (udsat)", "Tenancy failed (evicted)"),
    "indicator:referral_share_achieved": ("Anvisningsandel, opnået", "Referral share achieved"),
    "indicator:referral_share_agreed": ("Anvisningsandel, aftalt", "Referral share agreed"),
    "indicator:lettings_referral_per_year": (
        "Udlejninger pr. år: anvisning",
        "Lettings per year: referral",
    ),
    "indicator:lettings_flexible_per_year": (
        "Udlejninger pr. år: fleksibel",
        "Lettings per year: flexible",
    ),
    "indicator:lettings_internal_per_year": (
        "Udlejninger pr. år: intern venteliste",
        "Lettings per year: internal list",
    ),
    "indicator:lettings_external_per_year": (
        "Udlejninger pr. år: ekstern venteliste",
        "Lettings per year: external list",
    ),
    # scenario fields (short labels; simulation.inputs.scenario)
    "field:schema_version": ("Skemaversion", "Schema version"),
    "field:name": ("Scenariets navn", "Scenario name"),
    "field:description": ("Beskrivelse", "Description"),
    "field:synthetic": ("Syntetiske data", "Synthetic data"),
    "field:municipality.name": ("Kommune", "Municipality"),
    "field:municipality.region": ("Region", "Region"),
    "field:municipality.regional_mean_income_kr": (
        "Regionens gennemsnitsindkomst",
        "Regional mean income",
    ),
    "field:municipality.national_conviction_share": (
        "Andel dømte på landsplan",
        "National conviction share",
    ),
    "field:municipality.departments_file": ("Afdelingsdata (fil)", "Department data (file)"),
    "field:municipality.percent_columns": (
        "Andelskolonner i afdelingsdata (procent eller brøk)",
        "Share columns of the department data (per cent or fractions)",
    ),
    "field:municipality.strict_columns": (
        "Afvis ukendte kolonner i afdelingsdata",
        "Refuse unknown columns in the department data",
    ),
    "field:legal.regime": ("Lovgrundlag for listerne", "Legal regime of the lists"),
    "field:legal.minimum_residents": (
        "Mindste antal beboere for at komme på en liste",
        "Minimum residents to be listed",
    ),
    "field:legal.transformation_years": (
        "År som parallelsamfund før omdannelsesområde",
        "Years as parallelsamfund before omdannelsesområde",
    ),
    "field:legal.prevention_excludes_udsat": (
        "Et udsat boligområde er ikke også forebyggelsesområde",
        "An udsat area is not also a forebyggelsesområde",
    ),
    "field:legal.prevention_bans_include_benefits": (
        "Forbud (5)–(7) gælder fuldt i forebyggelsesområder",
        "Bans (5)–(7) apply in full in forebyggelsesområder",
    ),
    "field:areas.<id>.name": ("Navn", "Name"),
    "field:areas.<id>.parallelsamfund_years_before_start": (
        "År som parallelsamfund før start",
        "Years as parallelsamfund before the start",
    ),
    "field:areas.<id>.development_plan": ("Udviklingsplan (§ 168 a)", "Development plan (§ 168 a)"),
    "field:areas.<id>.development_plan.target_family_share": (
        "Mål: højst andel almene familieboliger",
        "Target: at most this share of almene family dwellings",
    ),
    "field:areas.<id>.development_plan.target_year": ("Mål: senest år", "Target: by the year"),
    "field:areas.<id>.development_plan.other_dwellings": (
        "Andre boliger i området ved start",
        "Other dwellings in the area at the start",
    ),
    "field:areas.<id>.development_plan.measures": ("Tiltag", "Measures"),
    "field:areas.<id>.development_plan.measures[].year": ("År", "Year"),
    "field:areas.<id>.development_plan.measures[].kind": ("Tiltag", "Measure"),
    "field:areas.<id>.development_plan.measures[].dwellings": ("Boliger", "Dwellings"),
    "field:areas.<id>.development_plan.measures[].department": ("Afdeling", "Department"),
    "field:referral_groups.<id>.name": ("Navn", "Name"),
    "field:referral_groups.<id>.arrivals_per_year": ("Nye sager pr. år", "New cases per year"),
    "field:referral_groups.<id>.arrivals_by_year": (
        "Nye sager pr. år, efter kalenderår",
        "New cases per year, by calendar year",
    ),
    "field:referral_groups.<id>.kommunekvote": (
        "Kommunekvote (flygtninge), efter kalenderår",
        "Municipal refugee quota (kommunekvote), by calendar year",
    ),
    "field:referral_groups.<id>.couple_share": ("Andel par", "Share of couples"),
    "field:referral_groups.<id>.children_mean": (
        "Børn pr. husstand (middel)",
        "Children per household (mean)",
    ),
    "field:referral_groups.<id>.age_mean": ("Alder (middel)", "Mean age"),
    "field:referral_groups.<id>.rooms_min": ("Mindste antal rum", "Fewest rooms"),
    "field:referral_groups.<id>.max_rent_kr": ("Højeste husleje", "Highest rent"),
    "field:referral_groups.<id>.outside_work_education_share": (
        "Andel uden for arbejde/uddannelse",
        "Share outside work/education",
    ),
    "field:referral_groups.<id>.basic_education_share": (
        "Andel med kun grundskole",
        "Share with basic school only",
    ),
    "field:referral_groups.<id>.nonwestern_share": ("Andel ikke-vestlige", "Non-western share"),
    "field:referral_groups.<id>.convicted_share": ("Andel dømte", "Share convicted"),
    "field:referral_groups.<id>.barred.released_prisoner": (
        "Forbud (1): løsladt efter fængselsstraf",
        "Barred (1): released after a prison sentence",
    ),
    "field:referral_groups.<id>.barred.released_minor": (
        "Forbud (2): mindreårig løsladt fra institution",
        "Barred (2): minor released from an institution",
    ),
    "field:referral_groups.<id>.barred.evicted": (
        "Forbud (3): lejemål ophævet pga. grov adfærd",
        "Barred (3): evicted for gross misconduct",
    ),
    "field:referral_groups.<id>.barred.non_eea_citizen": (
        "Forbud (4): ikke EU/EØS-borger",
        "Barred (4): not an EU/EEA citizen",
    ),
    "field:referral_groups.<id>.barred.cash_benefit_6_months": (
        "Forbud (5): 6 mdr. kontanthjælp",
        "Barred (5): 6 months of kontanthjælp",
    ),
    "field:referral_groups.<id>.barred.integration_benefit_6_months": (
        "Forbud (5): 6 mdr. selvforsørgelses-, hjemrejse- eller overgangsydelse",
        "Barred (5): 6 months of selvforsørgelses-, hjemrejse- or overgangsydelse",
    ),
    "field:referral_groups.<id>.barred.disability_pension": (
        "Forbud (6): førtidspension",
        "Barred (6): førtidspension",
    ),
    "field:referral_groups.<id>.barred.unemployment_benefit_6_months": (
        "Forbud (7): 6 mdr. dagpenge eller sygedagpenge",
        "Barred (7): 6 months of dagpenge or sygedagpenge",
    ),
    "field:referral_groups.<id>.leave_queue_per_year": (
        "Forlader køen pr. år",
        "Leave the queue per year",
    ),
    "field:referral_groups.<id>.work_entry_per_month": (
        "Overgang til arbejde/uddannelse efter anvisning (pr. md., pr. år i boligen)",
        "Entry into work/education after housing (per month, by year housed)",
    ),
    "field:referral_groups.<id>.tenancy_failure_per_month": (
        "Ophørte lejemål efter anvisning (pr. md., pr. år i boligen)",
        "Failed tenancies after housing (per month, by year housed)",
    ),
    "field:applicants.couple_share_by_rooms": (
        "Andel par efter antal rum",
        "Share of couples by rooms",
    ),
    "field:applicants.children_mean_by_rooms": (
        "Børn pr. husstand efter antal rum",
        "Children per household by rooms",
    ),
    "field:applicants.age_mean": ("Alder (middel)", "Mean age"),
    "field:applicants.employed_share": ("Andel i arbejde", "Share in work"),
    "field:applicants.student_share": ("Andel under uddannelse", "Share in education"),
    "field:applicants.basic_education_share": (
        "Andel med kun grundskole",
        "Share with basic school only",
    ),
    "field:applicants.nonwestern_share": ("Andel ikke-vestlige", "Non-western share"),
    "field:applicants.commuter_share": ("Andel pendlere", "Share of commuters"),
    "field:applicants.sorting": ("Selvsortering", "Self-selection (sorting)"),
    "field:applicants.sorting_by_trait": ("Selvsortering pr. træk", "Sorting by trait"),
    "field:applicants.sorting_by_trait.outside_work_education": (
        "Selvsortering: arbejde og uddannelse",
        "Sorting: work and education",
    ),
    "field:applicants.sorting_by_trait.basic_education": (
        "Selvsortering: kun grundskole",
        "Sorting: basic school only",
    ),
    "field:applicants.sorting_by_trait.income": ("Selvsortering: indkomst", "Sorting: income"),
    "field:applicants.sorting_by_trait.conviction": (
        "Selvsortering: dømte",
        "Sorting: convictions",
    ),
    "field:applicants.sorting_by_trait.nonwestern": (
        "Selvsortering: ikke-vestlig herkomst",
        "Sorting: non-western origin",
    ),
    "field:applicants.applicant_anchor": (
        "Ansøgernes udgangspunkt",
        "What applicants start from",
    ),
    "field:applicants.cash_benefit_share": (
        "Andel på kontanthjælp (af dem uden for arbejde)",
        "Share on kontanthjælp (of those outside work)",
    ),
    "field:applicants.cash_benefit_6_months_share": (
        "Andel med 6 mdr. kontanthjælp",
        "Share with 6 months of kontanthjælp",
    ),
    "field:applicants.disability_pension_share": (
        "Andel på førtidspension",
        "Share on førtidspension",
    ),
    "field:applicants.unemployment_benefit_6_months_share": (
        "Andel med 6 mdr. dagpenge eller sygedagpenge",
        "Share with 6 months of dagpenge or sygedagpenge",
    ),
    "field:applicants.internal_list_share": (
        "Andel tilbudt den interne venteliste",
        "Share offered to the internal list",
    ),
    "field:applicants.internal_acceptance": (
        "Accept af interne tilbud",
        "Acceptance of internal offers",
    ),
    "field:agreement.name": ("Aftalens navn", "Agreement name"),
    "field:agreement.period_years": ("Aftaleperiode", "Agreement period"),
    "field:agreement.default_referral_share": (
        "Standardandel til kommunal anvisning",
        "Default referral share",
    ),
    "field:agreement.referral_share_by_department": (
        "Anvisningsandel for enkelte afdelinger",
        "Referral share for single departments",
    ),
    "field:agreement.tiers": ("Trappemodel (trin)", "Stepped model (tiers)"),
    "field:agreement.tiers[].name": ("Navn", "Name"),
    "field:agreement.tiers[].when.match": (
        "Betingelser, der skal gælde",
        "Conditions that must hold",
    ),
    "field:agreement.tiers[].when.area_lists": ("området er på listen", "the area is on the list"),
    "field:agreement.tiers[].when.outside_work_education_share_above": (
        "andel uden for arbejde/uddannelse over",
        "share outside work/education above",
    ),
    "field:agreement.tiers[].when.basic_education_share_above": (
        "andel med kun grundskole over",
        "share with basic school only above",
    ),
    "field:agreement.tiers[].when.income_ratio_region_below": (
        "indkomst ift. regionen under",
        "income relative to the region below",
    ),
    "field:agreement.tiers[].when.conviction_ratio_at_least": (
        "dømte ift. landsgennemsnittet mindst",
        "convicted relative to the nation at least",
    ),
    "field:agreement.tiers[].when.nonwestern_share_above": (
        "andel ikke-vestlige over",
        "non-western share above",
    ),
    "field:agreement.tiers[].when.criteria_met_at_least": (
        "kriterier opfyldt, mindst",
        "criteria met, at least",
    ),
    "field:agreement.tiers[].referral_share": ("anvisningsandel", "referral share"),
    "field:agreement.tiers[].flexible_letting_share": (
        "fleksibel udlejning",
        "flexible letting",
    ),
    "field:agreement.tier_mean_years": ("Trin: gennemsnit over år", "Tiers: mean over years"),
    "field:agreement.tier_hysteresis_share": (
        "Trin: bånd for andele og indkomst",
        "Tiers: band for shares and income",
    ),
    "field:agreement.tier_hysteresis_conviction_ratio": (
        "Trin: bånd for domme",
        "Tiers: band for convictions",
    ),
    "field:agreement.data_lag_years": (
        "Trin og planer: tal fra år før",
        "Tiers and plans: figures years old",
    ),
    "field:legal.data_lag_years": ("Listerne: tal fra år før", "Lists: figures years old"),
    "field:agreement.flexible_letting_share": (
        "Andel fleksibel udlejning",
        "Flexible letting share",
    ),
    "field:agreement.flexible_criteria": (
        "Kriterier for fleksibel udlejning",
        "Flexible letting criteria",
    ),
    "field:agreement.combined_letting": (
        "Kombineret udlejning (§ 51 b)",
        "Combined letting (§ 51 b)",
    ),
    "field:agreement.combined_letting_extended": (
        "Kombineret udlejning udvidet til førtidspension og dagpenge",
        "Combined letting extended to førtidspension and dagpenge",
    ),
    "field:agreement.placement_policy": (
        "Placering af anvisninger",
        "Referral placement policy",
    ),
    "field:agreement.referral_accounting": (
        "Anvisningsret opgøres pr.",
        "Referral claims counted per",
    ),
    "field:agreement.claim_carry_over_months": (
        "Ubrugte anvisninger overføres (mdr.)",
        "Unused claims carried over (months)",
    ),
    "field:agreement.hold_for_referral": (
        "Kommunen holder boligen tom (mdr., tomgangsleje)",
        "Municipality holds the dwelling empty (months, paying rent)",
    ),
    "field:agreement.internal_family_priority": (
        "Børnefamilier først til 3+ værelser (intern venteliste)",
        "Families with children first to 3+ rooms (internal list)",
    ),
    "field:agreement.threshold_rule_above": (
        "Tærskelregel: ingen anvisning over denne andel uden for arbejde",
        "Threshold rule: no referrals above this share outside work",
    ),
    "field:agreement.referral_volume_per_year": (
        "Højst så mange anvisninger pr. år",
        "At most this many referrals a year",
    ),
    "field:behaviour.time_to_let_months": ("Tomgang fra udlejning til indflytning", "Time to let"),
    "field:behaviour.time_to_let_months.referral": (
        "Efter anvisning (mdr.)",
        "After a referral (months)",
    ),
    "field:behaviour.time_to_let_months.flexible": (
        "Efter fleksibel udlejning (mdr.)",
        "After a flexible letting (months)",
    ),
    "field:behaviour.time_to_let_months.external": (
        "Efter ekstern venteliste (mdr.)",
        "After the external list (months)",
    ),
    "field:behaviour.turnover_share_per_year": (
        "Fraflytning pr. år (standard)",
        "Turnover per year (default)",
    ),
    "field:behaviour.move_out_seasonality": (
        "Sæsonmønster for fraflytning",
        "Seasonality of move-outs",
    ),
    "field:behaviour.selective_move_out_strength": (
        "Styrke af selektiv fraflytning",
        "Strength of selective move-out",
    ),
    "field:behaviour.selective_move_out_threshold": (
        "Tærskel for selektiv fraflytning",
        "Threshold of selective move-out",
    ),
    "field:behaviour.job_finding_per_year": ("Finder arbejde pr. år", "Job finding per year"),
    "field:behaviour.job_loss_per_year": ("Mister arbejde pr. år", "Job loss per year"),
    "field:behaviour.study_start_per_year": (
        "Begynder på uddannelse pr. år",
        "Study start per year",
    ),
    "field:behaviour.study_completion_per_year": (
        "Afslutter uddannelse pr. år",
        "Study completion per year",
    ),
    "field:behaviour.conviction_per_year_outside": (
        "Domme pr. år, uden for arbejde",
        "Convictions per year, outside work",
    ),
    "field:behaviour.conviction_per_year_inside": (
        "Domme pr. år, i arbejde eller uddannelse",
        "Convictions per year, in work or education",
    ),
    "field:behaviour.income_employed_kr": ("Indkomst i arbejde", "Income in work"),
    "field:behaviour.income_outside_kr": ("Indkomst uden for arbejde", "Income outside work"),
    "field:behaviour.income_dispersion": ("Spredning af indkomster", "Income dispersion"),
    "field:behaviour.birth_per_year": ("Fødsler pr. år", "Births per year"),
    "field:behaviour.child_leaves_per_year": (
        "Børn, der flytter hjemmefra, pr. år",
        "Children leaving home per year",
    ),
    "field:behaviour.separation_per_year": ("Samlivsbrud pr. år", "Separations per year"),
    "field:behaviour.mortality_at_65_per_year": ("Dødelighed ved 65 år", "Mortality at 65"),
    "field:behaviour.mortality_doubling_years": (
        "Fordoblingstid for dødelighed",
        "Mortality doubling time",
    ),
    "field:optimiser.threshold": (
        "Grænse for andel uden for arbejde/uddannelse",
        "Threshold for the share outside work/education",
    ),
    "field:optimiser.safety_margin": ("Sikkerhedsmargin", "Safety margin"),
    "field:optimiser.protect": ("Planen beskytter", "The plan protects"),
    "field:optimiser.protect_small_areas": (
        "Beskyt også områder under mindstekravet til beboere",
        "Protect areas below the resident minimum too",
    ),
    "field:optimiser.area_resident_margin": (
        "Margin under mindstekravet til beboere",
        "Margin below the resident minimum",
    ),
    "field:optimiser.planning_months": ("Planperiode", "Planning period"),
    "field:optimiser.replan_every_months": ("Ny plan hver", "Re-plan every"),
    "field:optimiser.integer": ("Hele anvisninger (MILP)", "Whole referrals (MILP)"),
    "field:optimiser.time_limit_seconds": (
        "Tidsgrænse pr. MILP-løsning",
        "Time limit per MILP solve",
    ),
    "field:optimiser.fair_shortfall": (
        "Fordel manglen ligeligt på grupperne",
        "Share the shortfall fairly between groups",
    ),
    "field:optimiser.solver": ("LP-løser", "LP solver"),
    "field:trends.regional_income_growth_per_year": (
        "Regionens indkomstvækst ud over beboernes",
        "Regional income growth beyond residents'",
    ),
    "field:trends.job_finding_change_per_year": (
        "Ændring i chancen for at finde arbejde pr. år",
        "Change in job finding per year",
    ),
    "field:trends.basic_education_change_per_year": (
        "Ændring i ansøgeres andel med kun grundskole pr. år",
        "Change in applicants' basic-school share per year",
    ),
    "field:trends.nonwestern_change_per_year": (
        "Ændring i ansøgeres ikke-vestlige andel pr. år",
        "Change in applicants' non-western share per year",
    ),
    "field:horizon.start_year": ("Første simulerede år", "First simulated year"),
    "field:horizon.years": ("Simulerede år", "Years simulated"),
    "section:danish": ("Danske navne", "Danish names"),
    "field:danish.name": ("Scenariets danske navn", "Scenario name in Danish"),
    "field:danish.description": ("Dansk beskrivelse", "Description in Danish"),
    "field:danish.agreement": ("Aftalens danske navn", "Agreement name in Danish"),
    "field:danish.referral_groups": ("Målgruppernes danske navne", "Group names in Danish"),
    "field:danish.tiers": ("Trinenes danske navne", "Tier names in Danish"),
    "unit:text per group id": ("tekst pr. målgruppe", "text per group id"),
    "unit:text per tier name": ("tekst pr. trin", "text per tier name"),
    # units of scenario fields (json_schema_extra["unit"])
    "unit:any/all": ("alle/mindst én", "any/all"),
    "unit:auto/percent/fractions": ("auto/procent/brøk", "auto/percent/fractions"),
    "unit:department/pool": ("afdeling/pulje", "department/pool"),
    "unit:share points per year": ("andelspoint pr. år", "share points per year"),
    "unit:children for 1, 2, 3, 4+ rooms": (
        "børn for 1, 2, 3, 4+ rum",
        "children for 1, 2, 3, 4+ rooms",
    ),
    "unit:children per household": ("børn pr. husstand", "children per household"),
    "unit:criteria": ("kriterier", "criteria"),
    "unit:households per year": ("husstande pr. år", "households per year"),
    "unit:kr per month": ("kr. pr. måned", "kr per month"),
    "unit:kr per year": ("kr. pr. år", "kr per year"),
    "unit:list names": ("lister", "list names"),
    "unit:list of tables": ("liste af tabeller", "list of tables"),
    "unit:log sd": ("log-spredning", "log sd"),
    "unit:months": ("måneder", "months"),
    "unit:unit": ("enhed", "unit"),
    "unit:path": ("sti", "path"),
    "unit:policy": ("politik", "policy"),
    "adherence_title": ("Planen og virkeligheden", "The plan and what happened"),
    "adherence_intro": (
        "Hvor mange af de planlagte anvisninger kommunen faktisk gennemførte, kvartal for kvartal, "
        "og hvorfor resten ikke blev til noget (andel af de ikke gennemførte).",
        "How many of the planned referrals the municipality made, plan by plan, and why the rest "
        "were not made (share of those not made).",
    ),
    "adherence_caption": (
        "Anvisningsplanen: planlagt mod gennemført, gennemsnit over gentagelser",
        "The referral plan: planned against made, over all replications",
    ),
    "adherence_planned": ("Planlagt pr. år", "Planned per year"),
    "adherence_realised": ("Gennemført", "Made"),
    "adherence_range": ("Laveste – højeste plan", "Lowest – highest plan"),
    "adherence_reason:fewer_claims": ("Færre ledige boliger", "Fewer claims"),
    "adherence_reason:no_fitting_household": ("Boligen passede ingen", "Dwelling fitted no one"),
    "adherence_reason:nobody_waiting": ("Ingen ventede", "Nobody waiting"),
    "adherence_reason:barred": ("Anvisningsforbud", "Barred"),
    "adherence_reason:not_in_plan": ("Ikke i planen", "Not in plan"),
    "adherence_reason:claims_used_by_other_groups": (
        "Brugt af andre grupper",
        "Used by other groups",
    ),
    "unit:choice": ("valg", "choice"),
    "unit:seconds": ("sekunder", "seconds"),
    "unit:ratio": ("forholdstal", "ratio"),
    "unit:regime": ("lovgrundlag", "regime"),
    "unit:relative hazard": ("relativ risiko", "relative hazard"),
    "unit:relative, January–December": ("relativ, januar–december", "relative, January–December"),
    "unit:residents": ("beboere", "residents"),
    "unit:rooms": ("rum", "rooms"),
    "unit:share 0–1": ("andel", "share"),
    "unit:share 0–1 for 1, 2, 3, 4+ rooms": (
        "andel for 1, 2, 3, 4+ rum",
        "share for 1, 2, 3, 4+ rooms",
    ),
    "unit:share 0–1 per department id": ("andel pr. afdeling", "share per department"),
    "unit:share per year": ("andel pr. år", "share per year"),
    "unit:households per year, per calendar year": (
        "husstande pr. år, pr. kalenderår",
        "households per year, per calendar year",
    ),
    "unit:persons per year, per calendar year": (
        "personer pr. år, pr. kalenderår",
        "persons per year, per calendar year",
    ),
    "unit:chance per month, by year since housed": (
        "sandsynlighed pr. md., pr. år i boligen",
        "chance per month, by year since housed",
    ),
    "unit:solver": ("løser", "solver"),
    "unit:table": ("tabel", "table"),
    "unit:table per area id": ("tabel pr. område", "table per area"),
    "unit:table per group id": ("tabel pr. målgruppe", "table per group"),
    "unit:text": ("tekst", "text"),
    "unit:version": ("version", "version"),
    "unit:weight 0–1": ("vægt 0–1", "weight 0–1"),
    "unit:year": ("år", "year"),
    "unit:dwellings": ("boliger", "dwellings"),
    "unit:measure": ("tiltag", "measure"),
    "unit:department id": ("afdelings-id", "department id"),
    "unit:years": ("år", "years"),
    "unit:yes/no": ("ja/nej", "yes/no"),
    # ---------------------------------------------------------------------------------------------
    # the report's follow-up section (simulation.report.followup_section), one block for merges
    "section_followup": ("Opfølgning", "Follow-up"),
    "followup_lead": (
        "De faktiske afdelingstal for {year} holdt op mod fremskrivningen af {agreement} "
        "({replications} gentagelser).",
        "The actual department figures of {year} held against the projection of {agreement} "
        "({replications} replications).",
    ),
    "followup_reading": (
        "Hver celle viser den faktiske værdi i sit eget lys, derunder fremskrivningens median og "
        "bånd og om den faktiske værdi ligger under (↓), inden for (=) eller over (↑) båndet. En "
        "afdelings lys er det dårligste af dens fire kriterier. Lysene vises med farve, symbol "
        "og ord: ● grøn, ◐ gul, ○ rød.",
        "Each cell shows the actual value in its own light, below it the projection's median and "
        "band and whether the actual value lies below (↓), within (=) or above (↑) the band. A "
        "department's light is the worst of its four criteria. The lights are shown as colour, "
        "symbol and word: ● green, ◐ yellow, ○ red.",
    ),
    "followup_lights_caption": (
        "Trafiklys pr. afdeling (rød og gul først), med fremskrivningens bånd",
        "Traffic lights per department (red and yellow first), with the projection's band",
    ),
    "followup_areas_caption": (
        "Boligområderne: faktiske kriterier over for fremskrivningen, og listerne",
        "The areas: actual criteria against the projection, and the lists",
    ),
    "followup_band_text": (
        "fremskrevet {projected} ({low}–{high})",
        "projected {projected} ({low}–{high})",
    ),
    "followup_not_projected": ("ikke fremskrevet", "not projected"),
    "followup_no_area": ("uden for boligområderne", "outside the areas"),
    "followup_lists_actual": ("Lister efter de faktiske tal", "Lists by the actual figures"),
    "followup_list_chance": (
        "{list} fremskrevet i {probability}",
        "{list} projected in {probability}",
    ),
    "followup_no_list_projected": (
        "ingen liste i nogen gentagelse",
        "no list in any replication",
    ),
    "waits_groups_in_appendix": (
        "Alle målgrupper under ét; ventetiden for hver målgruppe står i bilaget.",
        "All referral groups together; the waits of each group are in the appendix.",
    ),
    "waits_by_group_title": (
        "Ventetid pr. målgruppe og scenarie",
        "Waits per referral group and scenario",
    ),
    "load_in_appendix": (
        "De tre største boligorganisationer; alle står i bilaget og i figuren under "
        "dokumentationen.",
        "The three largest housing organisations; all of them are in the appendix and in the "
        "figure under the evidence.",
    ),
    "followup_area_note": (
        "Områdernes faktiske værdier er ét års tal; loven offentliggør for uden for arbejde eller "
        "uddannelse og for domme gennemsnittet af to år, og fremskrivningen viser dét. Andelen af "
        "gentagelser på en liste er fremskrivningens sandsynlighed for listen det år.",
        "The areas' actual values are one year's figures; for outside work or education and for "
        "convictions the law publishes the mean of two years, and the projection shows that. The "
        "share of replications on a list is the projection's probability of the list that year.",
    ),
}
"""Danish and English for every term shown to a planner."""

# The command line's terminal output (simulation/cli; branch danish): one block, for easy merges.
TERMS.update(
    {
        "field:language": ("Sprog (da eller en)", "Language (da or en)"),
        "unit:language": ("sprog", "language"),
        "benchmark:first-come-same-volume": (
            "først til mølle, samme antal",
            "first come, first served, same volume",
        ),
        "benchmark:threshold-rule": ("tærskelregel", "threshold rule"),
        "indicator_meaning:udsat_final": (
            "områder på listen over udsatte boligområder (inkl. parallelsamfund), sidste 1. december",
            "areas on the udsat list (incl. parallelsamfund), last 1 December",
        ),
        "indicator_meaning:parallelsamfund_final": (
            "områder på parallelsamfundslisten, sidste 1. december",
            "areas on the parallelsamfund list, last 1 December",
        ),
        "indicator_meaning:omdannelsesomraade_final": (
            "omdannelsesområder, sidste 1. december",
            "omdannelsesområder, last 1 December",
        ),
        "indicator_meaning:forebyggelsesomraade_final": (
            "forebyggelsesområder, sidste 1. december",
            "forebyggelsesområder, last 1 December",
        ),
        "indicator_meaning:listed_final": (
            "områder på listen over udsatte boligområder eller forebyggelsesområder, sidste "
            "1. december",
            "areas on the udsat or forebyggelse list, last 1 December",
        ),
        "indicator_meaning:listed_area_years": (
            "områdeår på listen over udsatte boligområder eller forebyggelsesområder i de "
            "simulerede år",
            "area-years on the udsat or forebyggelse list over the simulated years",
        ),
        "indicator_meaning:wait_median_months": (
            "median af måneder fra optagelse i anvisningskøen til en bolig (Kaplan–Meier: de, der "
            "aldrig får bolig, tæller med, censureret ved udtræden eller ved slut; tom, hvis under "
            "halvdelen nogensinde får bolig)",
            "median months from joining the referral queue to a home",
        ),
        "indicator_meaning:wait_p90_months": (
            "90 %-fraktilen af ventetiden i måneder (Kaplan–Meier, som medianen)",
            "90th percentile of months waited",
        ),
        "indicator_meaning:wait_mean_months": (
            "gennemsnitlig ventetid i måneder (de boligplacerede)",
            "mean months waited (housed)",
        ),
        "indicator_meaning:housed_within_6_months_share": (
            "andel af de anviste husstande, der får bolig inden for 6 måneder (af dem, der kom i "
            "køen mindst 6 måneder før slut)",
            "share of referral households housed within 6 months",
        ),
        "indicator_meaning:not_housed_within_6_months": (
            "anviste husstande, der ikke får bolig inden for 6 måneder (af dem, der kom i køen "
            "mindst 6 måneder før slut)",
            "referral households not housed within 6 months",
        ),
        "indicator_meaning:waiting_at_end": (
            "husstande, der stadig står i anvisningskøen ved slut",
            "households still in the referral queue at the end",
        ),
        "indicator_meaning:never_housed": (
            "sager, der aldrig fik bolig: forlod køen eller venter stadig ved slut",
            "referral spells never housed",
        ),
        "indicator_meaning:evicted": (
            "anviste husstande, hvis lejemål ophørte (tilbage i køen)",
            "referred households whose tenancy failed",
        ),
        "indicator_meaning:referral_share_achieved": (
            "udlejninger ved kommunal anvisning som andel af alle udlejninger",
            "referral lettings as a share of all lettings",
        ),
        "indicator_meaning:referral_share_agreed": (
            "aftalt anvisningsandel, vægtet med fraflytninger",
            "agreed referral share, weighted by move-outs",
        ),
        "indicator_meaning:lettings_referral_per_year": (
            "udlejninger pr. år ved kommunal anvisning",
            "lettings per year by municipal referral",
        ),
        "indicator_meaning:lettings_flexible_per_year": (
            "udlejninger pr. år efter fleksible kriterier",
            "lettings per year by flexible criteria",
        ),
        "indicator_meaning:lettings_internal_per_year": (
            "udlejninger pr. år fra den interne venteliste",
            "lettings per year from the internal waiting list",
        ),
        "indicator_meaning:lettings_external_per_year": (
            "udlejninger pr. år fra den eksterne venteliste",
            "lettings per year from the external waiting list",
        ),
        "indicator_meaning:lapsed_claims_per_year": (
            "anvisningsretter, der bortfalder pr. år",
            "referral claims let go per year",
        ),
        "indicator_meaning:vacant_months_per_year": (
            "tomme boligmåneder pr. år (udlejet og ventende, reserveret, ikke udlejet)",
            "dwelling-months empty per year",
        ),
        "indicator_meaning:vacant_rent_department_kr_per_year": (
            "husleje for tomme boliger, som afdelingerne bærer, kr. pr. år",
            "rent of empty dwellings borne by the departments, kr per year",
        ),
        "indicator_meaning:vacant_rent_municipality_kr_per_year": (
            "husleje for tomme boliger, som kommunen betaler (tomgangsleje), kr. pr. år",
            "rent of empty dwellings paid by the municipality, kr per year",
        ),
    }
)


def term(key: str, language: Language) -> str:
    """The word for ``key`` in ``language``.

    Raises
    ------
    KeyError
        If the term has no translation (so that no untranslated text slips through).
    """
    danish, english = TERMS[key]
    return danish if language == "da" else english


def has_term(key: str) -> bool:
    """Whether ``key`` has a translation in :data:`TERMS`."""
    return key in TERMS


def number(value: float, decimals: int = 0, language: Language = "en") -> str:
    """Format a number with the language's decimal mark and thousands separator ("–" for NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if language == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def percent(share: float, decimals: int = 1, language: Language = "en") -> str:
    """Format a share (0–1) as per cent, e.g. ``34,5 %`` in Danish."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return f"{number(100 * share, decimals, language)} %"


def signed(value: float, decimals: int = 1, language: Language = "en") -> str:
    """Format a difference with its sign, e.g. ``+1,5`` or ``-0,3`` in Danish ("–" for NaN).

    Examples
    --------
    >>> signed(1.25, 1, "da"), signed(-0.5, 1, "en"), signed(0.0, 1, "en")
    ('+1,2', '-0.5', '0.0')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = number(value, decimals, language)
    if value > 0 and text.strip("0,.") != "":
        text = "+" + text
    return text
