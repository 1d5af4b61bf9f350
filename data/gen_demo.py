#!/usr/bin/env python3
"""Deterministic generator of cruscotto's bundled demo data (policy QUA).

    python3 data/gen_demo.py [OUTDIR]        (default: data/demo/ next to this script)

Writes one CSV per entity of docs/IMPORT.md (UTF-8, RFC 4180, header with exactly the
docs/IMPORT.md column names) describing Reggio Emilia's "QUArtiere bene comune" as of the end of
2018: 25 citizenship agreements over 19 neighbourhoods.  The data are invented, but the
policy scorecard of 2018-Q4, computed as docs/METHOD.md defines it, gives exactly
the headline figures published in the seed slides (25 agreements, 2,415 participants,
134,893 inhabitants, 695 signatories, 154 projects, the budgets).

Standard library only.  Deterministic: a single random.Random(SEED), no clock, no
dependence on set iteration order; the same Python gives byte-identical files.  After
writing, the script reads its own files back, checks the docs/IMPORT.md rules, recomputes the
headline figures and asserts them, and prints a summary (with the 2018-Q4 status of the
targets it wrote).
"""

import csv
import datetime as dt
import math
import os
import random
import re
import sys
from collections import defaultdict

SEED = 20181231
AS_OF = dt.date(2018, 12, 31)            # the seed's figures: policy scorecard 2018-Q4
POLICY = "QUA"
MIN_CELL = 5

HEADLINE = {
    "out.agreements_signed": 25,
    "out.participants": 2415,
    "out.population": 134893,
    "out.signatories": 695,
    "out.signatories.association": 375,
    "out.signatories.volunteer": 300,
    "out.signatories.business": 20,
    "out.projects": 154,
    "out.projects.community_care": 131,
    "out.projects.city_care": 23,
    "eff.allocated_eur.community_care": 520800,
    "eff.allocated_eur.city_care": 1290000,
    "eff.committed_eur.city_care": 590000,
}

# The docs/IMPORT.md interchange format: file -> columns, in the order written.
COLUMNS = {
    "policies.csv": ["code", "name", "started_on", "locale", "volunteer_hour_value_eur",
                     "min_cell"],
    "neighbourhoods.csv": ["code", "name", "population"],
    "agreements.csv": ["code", "policy_code", "title", "lab_started_on", "approved_on",
                       "signed_on", "closed_on", "published_on"],
    "agreement_areas.csv": ["agreement_code", "neighbourhood_code"],
    "ex_ante.csv": ["agreement_code", "criterion", "score", "assessed_on"],
    "signatories.csv": ["code", "kind", "name"],
    "signatures.csv": ["agreement_code", "signatory_code", "signed_on"],
    "projects.csv": ["code", "agreement_code", "kind", "title", "defined_on", "completed_on"],
    "finance.csv": ["project_code", "booked_on", "stage", "amount_eur"],
    "milestones.csv": ["code", "project_code", "title", "due_on", "achieved_on"],
    "meetings.csv": ["code", "agreement_code", "held_on", "kind", "hours"],
    "attendance.csv": ["meeting_code", "person", "role"],
    "resources.csv": ["agreement_code", "recorded_on", "kind", "quantity"],
    "surveys.csv": ["code", "policy_code", "agreement_code", "instrument", "wave",
                    "fielded_on"],
    "responses.csv": ["survey_code", "respondent", "item", "score"],
    "org_events.csv": ["policy_code", "agreement_code", "occurred_on", "kind", "department",
                       "quantity", "description"],
    "targets.csv": ["policy_code", "indicator", "level", "target", "amber_ratio"],
    "weights.csv": ["policy_code", "item", "weight"],
    "evidence.csv": ["code", "policy_code", "agreement_code", "neighbourhood_code",
                     "recorded_on", "kind", "title", "summary", "participants"],
}

# --------------------------------------------------------------------------------------
# Fixed reference data
# --------------------------------------------------------------------------------------

# The 19 areas of the seed ("i 19 quartieri"); populations are plausible, not official,
# and sum to the published 134,893.
NEIGHBOURHOODS = [
    ("CEN", "Centro storico", 17650),
    ("OSP", "Ospizio", 13204),
    ("BUC", "Buco del Signore", 7257),
    ("ROS", "Rosta Nuova", 11457),
    ("MAN", "Mancasale", 3106),
    ("COV", "Coviolo", 3842),
    ("MAS", "Massenzatico", 2054),
    ("GAV", "Gavassa", 2731),
    ("CAN", "Canali", 5219),
    ("PIE", "Pieve Modolena", 9102),
    ("SES", "Sesso", 7015),
    ("RIV", "Rivalta", 8243),
    ("FOG", "Fogliano", 3327),
    ("SPS", "San Prospero Strinati", 9871),
    ("BAG", "Bagno", 2918),
    ("ORO", "Orologio", 12360),
    ("GAR", "Gardenia", 10938),
    ("COD", "Codemondo", 2389),
    ("VCE", "Villa Cella", 2210),
]

# code suffix, title (after "Accordo di cittadinanza "), neighbourhoods, lab_started_on
AGREEMENTS = [
    ("01", "Ospizio – Parco e comunità", ["OSP"], "2015-04-14"),
    ("02", "Mancasale – Bene comune in periferia", ["MAN"], "2015-05-19"),
    ("03", "Coviolo – Il paese che si prende cura", ["COV"], "2015-06-09"),
    ("04", "Massenzatico e Gavassa – Insieme per le frazioni", ["MAS", "GAV"], "2015-09-22"),
    ("05", "Canali e Fogliano – Scuola, sport e natura", ["CAN", "FOG"], "2015-10-13"),
    ("06", "Rosta Nuova – Piazze e cortili", ["ROS"], "2016-01-19"),
    ("07", "Pieve Modolena – Quartiere accogliente", ["PIE"], "2016-02-16"),
    ("08", "Sesso – Il centro sociale come piazza", ["SES"], "2016-03-08"),
    ("09", "Buco del Signore e Ospizio – Strade sicure e condivise", ["BUC", "OSP"],
     "2016-04-12"),
    ("10", "Rivalta – Reggia, parco e comunità", ["RIV"], "2016-05-10"),
    ("11", "Centro storico – Abitare il centro", ["CEN"], "2016-06-07"),
    ("12", "Gardenia – Generazioni in rete", ["GAR"], "2016-09-20"),
    ("13", "Orologio – Il Casino dell'Orologio bene comune", ["ORO"], "2016-10-11"),
    ("14", "San Prospero Strinati – Un quartiere da vivere", ["SPS"], "2016-11-15"),
    ("15", "Bagno e Codemondo – Frazioni vive", ["BAG", "COD"], "2017-01-17"),
    ("16", "Lab. Urbano \"Parco Nilde Iotti\"", ["ORO", "PIE"], "2017-02-02"),
    ("17", "Fogliano – Tra città e campagna", ["FOG"], "2017-03-14"),
    ("18", "Gavassa – Comunità solidale", ["GAV"], "2017-04-11"),
    ("19", "Villa Cella – Frazione in movimento", ["VCE"], "2017-06-13"),
    ("20", "Codemondo e Villa Cella – Orti e socialità", ["COD", "VCE"], "2017-09-19"),
    ("21", "Centro storico – Via Roma e dintorni", ["CEN"], "2017-10-10"),
    ("22", "Mancasale e Sesso – Rete nord", ["MAN", "SES"], "2017-11-14"),
    ("23", "Ospizio – Giovani e spazi pubblici", ["OSP"], "2018-01-16"),
    ("24", "Gardenia e Rosta Nuova – Verde e benessere", ["GAR", "ROS"], "2018-02-13"),
    ("25", "Canali – Memoria e futuro", ["CAN"], "2018-04-10"),
]
NILDE_IOTTI = "16"          # the Lab. Urbano: dates as reported in the local press
NILDE_DATES = ("2017-02-02", "2017-06-12", "2017-07-05")
CLOSED = {"01": True, "02": True, "03": True, "04": False}    # True: results published too
NO_CITY_CARE = ("21", "25")                                    # 23 of 25 have a city project

SURNAMES = [
    "Bertolini", "Ferretti", "Incerti", "Bonacini", "Montanari", "Ferrari", "Manfredi",
    "Davoli", "Prandi", "Notari", "Catellani", "Fontanesi", "Spaggiari", "Bigi", "Rinaldi",
    "Lusuardi", "Codeluppi", "Casoli", "Bedogni", "Zanichelli", "Corradini", "Reverberi",
    "Gualtieri", "Barbieri", "Morini", "Tondelli", "Valli", "Cattani", "Salsi", "Grasselli",
    "Bertani", "Magnani", "Guidetti", "Ruozzi", "Ligabue", "Melioli", "Paterlini", "Tagliavini",
    "Vezzani", "Zini", "Ferrarini", "Iori", "Rossi", "Pellacani", "Boni", "Camellini",
]
GIVEN = [
    "Maria", "Giuseppe", "Anna", "Giovanni", "Lucia", "Franco", "Rosa", "Luciano", "Paola",
    "Claudio", "Silvia", "Marco", "Giulia", "Andrea", "Elena", "Stefano", "Francesca",
    "Roberto", "Chiara", "Davide", "Laura", "Alberto", "Sara", "Luca", "Federica", "Mauro",
    "Ilaria", "Gianni", "Valentina", "Enrico", "Carla", "Ivano", "Loredana", "Ermes", "Nadia",
    "Fatima", "Mohamed", "Ioana", "Kwame", "Li", "Ada", "Villiam", "Umberto", "Antonella",
]
BUSINESSES = [
    "Forno Bertolini snc", "Farmacia San Prospero", "Bar Centrale di Ferretti & C. sas",
    "Ferramenta Incerti srl", "Ortofrutta Bonacini", "Pizzeria Da Gino", "Cartoleria Il Quaderno",
    "Edicola Montanari", "Vivaio Davoli snc", "Trattoria La Corte", "Officina Prandi srl",
    "Gelateria Notari", "Panificio Catellani & figli", "Macelleria Fontanesi",
    "Tipografia Spaggiari snc", "Studio tecnico Bigi", "Ciclofficina Rinaldi",
    "Agriturismo Lusuardi", "Caseificio Sociale di Codemondo", "Minimarket Casoli",
    "Libreria All'Arco", "Lavanderia Bedogni", "Parrucchiera Zanichelli",
]
CITY_ASSOCIATIONS = [
    "Legambiente Reggio Emilia", "UISP Reggio Emilia", "AUSER Reggio Emilia",
    "GGEV – Guardie Giurate Ecologiche Volontarie", "ARCI Reggio Emilia",
    "DarVoce – Centro servizi per il volontariato", "Croce Verde Reggio Emilia",
    "AVIS comunale Reggio Emilia", "ANPI sezione cittadina", "CEAS Multicentro",
    "Associazione teatrale MaMiMò", "Associazione culturale Querce Rosse", "LIPU Reggio Emilia",
    "WWF Reggio Emilia", "ASD Le Libellule", "Associazione cinofila About Dog",
    "Caritas diocesana – Centro di ascolto", "CSI Reggio Emilia", "Fiab Tuttinbici",
    "AIAPP Emilia-Romagna", "Centro per le famiglie – Amici del CpF",
    "Associazione Mondinsieme", "Associazione Nondasola", "Gruppo Scout AGESCI Reggio 3",
    "Gruppo Scout AGESCI Reggio 7", "Banca del tempo Reggio Emilia",
    "Emergency – gruppo di Reggio",
    "Associazione Pane e Internet", "Associazione Reggio Città Aperta", "Coro Città di Reggio",
]
LOCAL_ASSOCIATION_TEMPLATES = [
    "Centro sociale {p}", "Comitato di quartiere {p}", "Polisportiva {p}", "Circolo ARCI {p}",
    "Pro loco {p}", "Associazione Amici del Parco di {p}", "Associazione genitori scuola di {p}",
    "Orti sociali {p}", "Gruppo di cammino {p}", "Coro popolare di {p}",
    "Banda musicale di {p}", "Gruppo Alpini {p}", "Associazione anziani {p}", "ASD Calcio {p}",
    "ASD Pallavolo {p}", "Gruppo teatrale di {p}", "Associazione commercianti {p}",
    "Amici della biblioteca di {p}", "Comitato genitori nido di {p}", "Doposcuola {p}",
    "Gruppo giovani {p}", "Associazione Amici di {p}", "Gruppo di lettura {p}",
    "Corale parrocchiale di {p}", "Social street {p}", "Gruppo mamme {p}",
]
ASSOCIATION_FORMS = ["Associazione", "APS", "ODV", "Associazione culturale",
                     "Cooperativa sociale", "Associazione di volontariato"]
ASSOCIATION_NAMES = [
    "Il Girasole", "La Quercia", "Il Ponte", "Arcobaleno", "La Lanterna", "Il Melograno",
    "Terra e Cielo", "Mani Aperte", "Semi di Comunità", "La Bussola", "Il Filo d'Erba",
    "Il Cortile", "Porte Aperte", "Passo dopo Passo", "L'Albero delle Idee", "Insieme si può",
    "Spazio Aperto", "La Tartaruga", "Il Gelso", "Nuovi Orizzonti", "Il Ciliegio", "Filo Rosso",
    "Ca' Nostra", "La Rondine", "Il Granello", "Il Mosaico", "La Corte", "Il Fiume",
    "Le Radici", "Tempo Libero", "Il Sorriso", "L'Aquilone",
]
COMMUNITY_PROJECTS = [
    "Doposcuola nel verde", "Orti condivisi", "Gruppo di cammino", "Festa di quartiere",
    "Biblioteca diffusa", "Portierato sociale", "Laboratori intergenerazionali",
    "Cinema all'aperto", "Presidio civico del parco", "Scambio di saperi",
    "Corsi di italiano per donne straniere", "Pedibus", "Merenda solidale",
    "Laboratorio di teatro per ragazzi", "Educativa di strada", "Mercatino del riuso",
    "Compiti insieme", "Nordic walking per tutti", "Spazio giovani",
    "Pane e internet: sportello digitale", "Riciclo creativo", "Cortili aperti",
    "Musica in piazza", "Memoria del quartiere: archivio fotografico", "Banca del tempo",
    "Custodi delle aiuole", "Sport di strada", "Caffè alzheimer", "Giornata del verde pulito",
    "Piedibus estivo e centri estivi", "Mappa di comunità", "Orto didattico",
]
CITY_PROJECTS = [
    "Riqualificazione dell'area verde", "Nuovi giochi nel parco",
    "Illuminazione del percorso ciclopedonale", "Messa in sicurezza degli attraversamenti pedonali",
    "Manutenzione straordinaria del centro civico", "Nuova pista ciclabile di collegamento",
    "Arredo urbano della piazza", "Area di sgambamento cani", "Rifacimento dei marciapiedi",
    "Moderazione del traffico davanti alla scuola", "Recupero del campo da bocce",
    "Nuova fontana dell'acqua pubblica",
]
DEPARTMENTS = ["Partecipazione e Quartieri", "Lavori Pubblici", "Servizi Sociali", "Ambiente",
               "Cultura", "Educazione", "Mobilità", "Sport", "Polizia Locale"]
ORG_EVENT_TEXT = {
    "new_solution": [
        "Patto semplificato per la cura del verde di quartiere",
        "Uso condiviso della palestra scolastica in orario extrascolastico",
        "Gestione civica del centro sociale con convenzione unica",
        "Punto di raccolta delle segnalazioni RèS in quartiere",
        "Comodato d'uso di locali comunali alle associazioni firmatarie",
        "Presidio civico del parco con le GGEV",
        "Orti urbani assegnati con bando partecipato",
        "Bacheca digitale del quartiere",
    ],
    "process_change": [
        "Co-progettazione dei lavori di cura della città con i cittadini",
        "Programmazione delle opere pubbliche aggiornata con gli accordi",
        "Procedura unica per l'occupazione di suolo pubblico per eventi di quartiere",
        "Tavolo intersettoriale sugli accordi di cittadinanza",
        "Istruttoria congiunta Lavori Pubblici – Partecipazione",
    ],
    "new_method": [
        "Laboratorio di quartiere come metodo di progettazione",
        "Passeggiate esplorative con i residenti",
        "Mappatura partecipata delle risorse del quartiere",
        "Monitoraggio T0-T1 della qualità della relazione",
        "Cruscotto di valutazione degli accordi",
    ],
    "training": [
        "Formazione degli architetti di quartiere alla facilitazione",
        "Formazione su amministrazione condivisa e beni comuni",
        "Corso sulla valutazione d'impatto sociale",
        "Formazione del personale dei Lavori Pubblici alla co-progettazione",
    ],
}
SURVEY_ITEMS = {"agreement_quality": 5, "satisfaction": 3, "relationship_quality": 3,
                "quality_of_life": 3, "org_culture": 4}

# Targets: (indicator, level, target, amber_ratio or None).  Chosen so that the 2018-Q4
# scorecards show a mix of green, amber and red (the summary prints them).
TARGETS = [
    ("out.agreements_signed", "policy", "25", None),
    ("out.participants", "policy", "2500", None),
    ("out.participation_rate", "policy", "20", "0.85"),
    ("eff.commitment_rate", "policy", "70", None),
    ("eff.spend_rate", "policy", "50", "0.9"),
    ("eff.cost_per_participant", "policy", "300", None),
    ("eff.leverage", "policy", "1.2", None),
    ("eff.days_to_signature", "policy", "35", None),
    ("eft.agreement_quality", "policy", "3.5", None),
    ("eft.satisfied_share", "policy", "65", None),
    ("eft.milestones_on_time", "policy", "75", "0.9"),
    ("soc.relationship_change", "policy", "0.35", None),
    ("soc.quality_of_life_change", "policy", "0.25", "0.5"),
    ("soc.bridging_share", "policy", "12", None),
    ("org.new_solutions", "policy", "12", None),
    ("org.culture_score", "policy", "3.5", "0.9"),
    ("out.participants", "agreement", "100", None),
    ("out.signatories", "agreement", "25", None),
    ("eff.spend_rate", "agreement", "50", None),
    ("eff.days_to_signature", "agreement", "35", "0.7"),
    ("eft.satisfaction", "agreement", "3.5", "0.9"),
    ("eft.milestones_on_time", "agreement", "70", None),
    ("soc.new_partners_share", "agreement", "80", None),
    ("soc.relationship_improved_share", "agreement", "50", None),
    ("org.process_changes", "agreement", "1", None),
    # every neighbourhood scorecard (the territory level): its own participation rate and
    # participants, and the agreements' results where it lives
    ("out.participation_rate", "neighbourhood", "20", "0.85"),
    ("out.participants", "neighbourhood", "150", None),
    ("eff.spend_rate", "neighbourhood", "50", None),
    ("eft.satisfaction", "neighbourhood", "3.5", "0.9"),
    ("soc.quality_of_life_change", "neighbourhood", "0.25", "0.5"),
]
WEIGHTS = [
    ("output", "1"), ("efficiency", "1"), ("effectiveness", "1.5"), ("social_impact", "1.5"),
    ("organisational_impact", "1"),
    ("out.participants", "2"), ("eff.leverage", "0"), ("eft.satisfied_share", "2"),
    ("soc.relationship_change", "2"),
]

# Qualitative monitoring (evidence.csv): focus groups on the quality of life in the
# quartieri, interviews about single agreements, observations and documents of the whole
# policy. Fixed text, no random draw: the other files stay byte for byte the same. No
# person is named; roles only. Some summaries span lines, QUA-EV-008's is long (about
# 1,500 characters), so that a scorecard wraps it. (code, agreement, neighbourhood,
# recorded_on, kind, title, summary, participants)
EVIDENCE = [
    ("QUA-EV-001", "", "OSP", "2017-10-17", "focus_group",
     "Qualità della vita a Ospizio: primo gruppo di ascolto",
     "Undici residenti, tra cui quattro genitori e tre pensionati, descrivono il quartiere "
     "come tranquillo ma poco frequentato la sera.\n"
     "Il parco è vissuto come uno spazio dei bambini; gli adulti chiedono panchine, luce e "
     "un punto di ritrovo al coperto.", "11"),
    ("QUA-EV-002", "QUA-13", "", "2017-11-21", "interview",
     "Intervista alla referente del Casino dell'Orologio",
     "La referente racconta i primi sei mesi di gestione condivisa: le chiavi affidate a tre "
     "associazioni, un calendario comune, nessun conflitto sugli orari. Teme che l'entusiasmo "
     "iniziale cali senza un sostegno per le pulizie.", "1"),
    ("QUA-EV-003", "", "", "2017-12-14", "document",
     "Linee guida per il monitoraggio qualitativo degli accordi",
     "Documento del servizio Partecipazione e Quartieri: focus group sulla qualità della vita "
     "in ogni quartiere coinvolto, almeno una volta l'anno; interviste ai referenti degli "
     "accordi; osservazione partecipante degli incontri. Le sintesi sono scritte da chi "
     "conduce l'incontro e pubblicate senza modifiche.", ""),
    ("QUA-EV-004", "", "ORO", "2018-01-23", "focus_group",
     "Vivere l'Orologio: sicurezza, verde e relazioni",
     "Il gruppo distingue tra sicurezza percepita e sicurezza reale: i furti sono pochi, ma la "
     "piazza vuota dopo le 20 mette a disagio.\n"
     "Il Casino dell'Orologio è citato da tutti come il luogo dove \"ci si conosce\".\n"
     "Richieste: più eventi serali, illuminazione del vialetto, una bacheca di quartiere.",
     "12"),
    ("QUA-EV-005", "QUA-16", "", "2018-02-08", "interview",
     "Parco Nilde Iotti: intervista all'architetto di quartiere",
     "Il laboratorio ha messo allo stesso tavolo due quartieri che non si parlavano. "
     "L'architetto di quartiere segnala la fatica di tenere insieme i tempi dei lavori "
     "pubblici e quelli dei volontari, e propone un calendario condiviso dei cantieri.", "1"),
    ("QUA-EV-006", "", "", "2018-03-06", "observation",
     "Osservazione di tre assemblee di firma",
     "Nelle tre assemblee osservate la firma è preceduta da una lettura pubblica degli impegni. "
     "Prendono la parola soprattutto le associazioni; i singoli cittadini intervengono quando "
     "sono invitati per nome dal facilitatore.", ""),
    ("QUA-EV-007", "", "CEN", "2018-03-20", "focus_group",
     "Abitare il centro storico: commercianti e residenti",
     "Residenti e commercianti concordano sul decoro ma non sugli orari: i primi chiedono "
     "silenzio dopo mezzanotte, i secondi eventi che portino gente in centro.\n"
     "Il portierato sociale è conosciuto da metà dei presenti.", "9"),
    ("QUA-EV-008", "", "PIE", "2018-04-17", "focus_group",
     "Pieve Modolena: qualità della vita e accoglienza",
     "Dieci partecipanti: residenti storici, famiglie arrivate negli ultimi cinque anni, due "
     "operatrici dei servizi sociali e un volontario della parrocchia. L'incontro, di due ore, "
     "si è svolto nella sala del centro sociale ed è stato condotto dal servizio "
     "Partecipazione e Quartieri con una traccia di sei domande.\n"
     "Accoglienza. Le famiglie arrivate da poco dicono di essersi sentite accolte soprattutto "
     "attraverso la scuola e il doposcuola: è lì che hanno conosciuto altri genitori e, per "
     "loro tramite, le associazioni del quartiere. I residenti storici riconoscono che il "
     "quartiere è cambiato e che le occasioni di incontro sono meno di un tempo; alcuni "
     "parlano di diffidenza, altri di curiosità. Nessuno riferisce episodi di conflitto "
     "aperto.\n"
     "Spazi. Il parco Nilde Iotti è indicato da tutti come il luogo in cui il quartiere si "
     "incontra d'estate; d'inverno mancano spazi al coperto che non siano il bar o la "
     "parrocchia. Il centro sociale è percepito come un luogo degli anziani, anche se è "
     "aperto a tutti. Si propone di usarne la sala, nel pomeriggio, per i compiti dei ragazzi "
     "delle medie.\n"
     "Servizi e mobilità. Il trasporto pubblico è giudicato sufficiente di giorno e scarso la "
     "sera; chi lavora a turni si sente escluso dalle attività serali. La farmacia e "
     "l'edicola sono citate come presidi di vicinato.\n"
     "Relazioni. Alla domanda se negli ultimi dodici mesi abbiano conosciuto qualcuno di nuovo "
     "nel quartiere, sette partecipanti su dieci rispondono di sì, e sei di loro collegano "
     "l'incontro alle attività dell'accordo. Il gruppo chiede che queste attività continuino "
     "anche dopo la chiusura dell'accordo e che il Comune ne renda conto ai residenti con un "
     "incontro pubblico all'anno.", "10"),
    ("QUA-EV-009", "QUA-07", "", "2018-05-09", "interview",
     "Intervista ai volontari del doposcuola",
     "Due volontari descrivono un doposcuola frequentato da trenta ragazzi, metà dei quali con "
     "genitori nati all'estero. Chiedono una stanza in più e una formazione sul metodo di "
     "studio.", "2"),
    ("QUA-EV-010", "QUA-22", "", "2018-05-29", "observation",
     "Rete nord: sopralluogo agli orti di Mancasale",
     "Gli orti sono coltivati e ordinati; il capanno comune è usato anche come punto di "
     "scambio di semi.\n"
     "Al sopralluogo erano presenti ortolani di Mancasale e di Sesso: la rete tra le due "
     "frazioni funziona.", ""),
    ("QUA-EV-011", "", "GAR", "2018-06-12", "focus_group",
     "Gardenia: generazioni a confronto",
     "Il gruppo misto di anziani e ragazzi conferma i risultati del questionario: la relazione "
     "tra generazioni è migliorata, ma resta legata a poche occasioni organizzate. Gli anziani "
     "chiedono che i ragazzi restino coinvolti anche d'estate.", "13"),
    ("QUA-EV-012", "", "MAN", "2018-07-03", "focus_group",
     "Mancasale: la periferia che si prende cura",
     "Otto residenti parlano di un quartiere meno isolato di tre anni fa.\n"
     "Le cose che hanno fatto la differenza: la pista ciclabile, gli orti, la festa di "
     "settembre.\n"
     "Resta il problema dei camion nella via principale.", "8"),
    ("QUA-EV-013", "QUA-11", "", "2018-07-18", "interview",
     "Centro storico: intervista al portierato sociale",
     "L'operatrice del portierato riceve in media dieci richieste al giorno, soprattutto da "
     "anziani soli: piccole commissioni, compagnia, informazioni sui servizi. Segnala che il "
     "servizio è poco conosciuto dai residenti più giovani.", "1"),
    ("QUA-EV-014", "", "", "2018-09-04", "document",
     "Relazione intermedia sul monitoraggio qualitativo 2018",
     "Sintesi dei primi nove mesi del 2018: sette focus group, cinque interviste, tre "
     "osservazioni.\n"
     "Temi ricorrenti: spazi al coperto per l'inverno, sicurezza percepita la sera, continuità "
     "delle attività dopo la chiusura degli accordi.\n"
     "La relazione raccomanda di restituire i risultati ai quartieri in incontri pubblici.",
     ""),
    ("QUA-EV-015", "", "SES", "2018-09-25", "focus_group",
     "Sesso: il centro sociale come piazza, un anno dopo",
     "Il centro sociale è diventato un punto di riferimento anche per chi non è socio. I "
     "partecipanti chiedono orari più lunghi nel fine settimana e un calendario condiviso con "
     "la parrocchia.", "11"),
    ("QUA-EV-016", "", "OSP", "2018-10-09", "focus_group",
     "Qualità della vita a Ospizio: secondo gruppo di ascolto",
     "Un anno dopo il primo incontro, dodici residenti (cinque presenti anche allora) "
     "descrivono un parco più usato dagli adulti.\n"
     "Le panchine e la luce chieste nel 2017 ci sono; il punto di ritrovo al coperto no.\n"
     "Il gruppo dei giovani dell'accordo Ospizio – Giovani e spazi pubblici è citato come "
     "una novità positiva.", "12"),
    ("QUA-EV-017", "QUA-23", "", "2018-10-23", "interview",
     "Ospizio giovani: intervista agli educatori di strada",
     "Gli educatori stimano in quaranta i ragazzi agganciati dall'inizio dell'accordo. Il "
     "murale del sottopasso è stato progettato dai ragazzi stessi e non è stato vandalizzato.",
     "2"),
    ("QUA-EV-018", "QUA-16", "", "2018-11-06", "observation",
     "Parco Nilde Iotti: la festa d'autunno",
     "Circa duecento presenze nel pomeriggio; stand di sette associazioni dei due quartieri.\n"
     "Molte famiglie nuove al parco; i volontari più anziani si sono occupati della cucina.",
     ""),
    ("QUA-EV-019", "", "ROS", "2018-11-13", "focus_group",
     "Rosta Nuova: piazze, cortili e vicinato",
     "I cortili aperti nel 2017 sono usati soprattutto dai bambini. Il gruppo segnala tensioni "
     "sul rumore in due condomini e chiede una mediazione; per il resto il vicinato è descritto "
     "come più solidale.", "9"),
    ("QUA-EV-020", "QUA-25", "", "2018-11-27", "interview",
     "Canali: intervista al comitato della memoria",
     "Il comitato ha raccolto trenta testimonianze sulla storia della frazione; la mostra di "
     "dicembre sarà allestita nella scuola. Il referente chiede aiuto per digitalizzare le "
     "fotografie.", "1"),
    ("QUA-EV-021", "", "CAN", "2018-12-04", "focus_group",
     "Canali e Fogliano: scuola, sport e natura",
     "Dieci partecipanti, genitori e allenatori. Il percorso natura lungo il canale è molto "
     "usato; la palestra resta insufficiente per tutte le squadre.\n"
     "Si chiede di coordinare gli orari delle società sportive.", "10"),
    ("QUA-EV-022", "", "", "2018-12-18", "observation",
     "Osservazione dei tavoli di coordinamento di dicembre",
     "Nei quattro tavoli osservati i referenti degli accordi si scambiano contatti e materiali; "
     "i tecnici comunali presenti rispondono alle richieste nella stessa seduta in circa metà "
     "dei casi.", ""),
]

# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def day(s):
    return dt.date.fromisoformat(s)


def plus(d, n):
    return d + dt.timedelta(days=n)


def between(rng, lo, hi):
    """A date uniformly in [lo, hi] (hi < lo gives lo)."""
    span = (hi - lo).days
    return lo if span <= 0 else plus(lo, rng.randint(0, span))


def quarter_end(d):
    q = (d.month - 1) // 3
    return dt.date(d.year, 3 * q + 3, (31, 30, 30, 31)[q])


def num(x):
    """A decimal for the CSV: no exponent, no trailing zeros."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def apportion(total, weights):
    """Integers proportional to weights summing to total (largest remainder, stable)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(math.floor(r)) for r in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def wsample(rng, items, weights, k):
    """k distinct items drawn with probability proportional to weight."""
    items, weights, out = list(items), list(weights), []
    for _ in range(min(k, len(items))):
        x, acc, pick = rng.random() * sum(weights), 0.0, len(items) - 1
        for i, w in enumerate(weights):
            acc += w
            if x < acc:
                pick = i
                break
        out.append(items.pop(pick))
        weights.pop(pick)
    return out


def draw_count(rng, dist):
    """An integer drawn from {value: probability}."""
    x, acc = rng.random(), 0.0
    for v, p in dist:
        acc += p
        if x < acc:
            return v
    return dist[-1][0]


def clamp_score(x):
    return max(1, min(5, int(math.floor(x + 0.5))))


# --------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------


def generate():
    rng = random.Random(SEED)
    rows = {name: [] for name in COLUMNS}

    # ---- policy, neighbourhoods ------------------------------------------------------
    rows["policies.csv"].append({
        "code": POLICY, "name": "QUArtiere bene comune", "started_on": "2015-03-02",
        "locale": "it", "volunteer_hour_value_eur": "16.00", "min_cell": str(MIN_CELL)})
    pop = {}
    for code, name, population in NEIGHBOURHOODS:
        rows["neighbourhoods.csv"].append(
            {"code": code, "name": name, "population": str(population)})
        pop[code] = population
    nname = {c: n for c, n, _ in NEIGHBOURHOODS}

    # ---- agreements ------------------------------------------------------------------
    ags = []
    for suffix, title, areas, lab in AGREEMENTS:
        a = {"code": f"{POLICY}-{suffix}", "suffix": suffix, "areas": areas,
             "title": "Accordo di cittadinanza " + title, "lab": day(lab)}
        if suffix == NILDE_IOTTI:
            a["approved"], a["signed"] = day(NILDE_DATES[1]), day(NILDE_DATES[2])
        else:
            a["approved"] = plus(a["lab"], rng.randint(95, 165))
            a["signed"] = plus(a["approved"], rng.randint(9, 62))
        a["closed"] = a["published"] = None
        if suffix in CLOSED:
            a["closed"] = plus(a["signed"], rng.randint(700, 760))
            if CLOSED[suffix]:
                a["published"] = plus(a["closed"], rng.randint(45, 120))
        a["end"] = a["closed"] or AS_OF               # activity happens until then
        assert a["signed"] <= AS_OF and (a["published"] or a["end"]) <= AS_OF, a
        ags.append(a)
        rows["agreements.csv"].append({
            "code": a["code"], "policy_code": POLICY, "title": a["title"],
            "lab_started_on": a["lab"].isoformat(), "approved_on": a["approved"].isoformat(),
            "signed_on": a["signed"].isoformat(),
            "closed_on": a["closed"].isoformat() if a["closed"] else "",
            "published_on": a["published"].isoformat() if a["published"] else ""})
        for n in areas:
            rows["agreement_areas.csv"].append({"agreement_code": a["code"],
                                                "neighbourhood_code": n})
    agby = {a["code"]: a for a in ags}

    # ---- ex-ante evaluation ----------------------------------------------------------
    # Most agreements pass; QUA-08 failed feasibility and passed on reassessment; QUA-14
    # and QUA-22 still fail one criterion; a few others were reassessed after a year.
    failing = {"08": ("feasibility", 2), "14": ("relevance", 2), "22": ("opportunity", 2)}
    reassessed_later = ("03", "07", "12")
    for a in ags:
        when = plus(a["lab"], rng.randint(25, 60))
        scores = {}
        for crit in ("feasibility", "opportunity", "relevance"):
            scores[crit] = rng.choice([3, 4, 4, 4, 5, 5])
        if a["suffix"] in failing:
            crit, s = failing[a["suffix"]]
            scores[crit] = s
        for crit in ("feasibility", "opportunity", "relevance"):
            rows["ex_ante.csv"].append({"agreement_code": a["code"], "criterion": crit,
                                        "score": str(scores[crit]),
                                        "assessed_on": when.isoformat()})
        if a["suffix"] == "08":
            rows["ex_ante.csv"].append({
                "agreement_code": a["code"], "criterion": "feasibility", "score": "3",
                "assessed_on": between(rng, plus(when, 20), a["approved"]).isoformat()})
        if a["suffix"] in reassessed_later:
            later = plus(a["signed"], rng.randint(330, 400))
            for crit in ("feasibility", "relevance"):
                new = max(1, min(5, scores[crit] + rng.choice([-1, 1, 1])))
                rows["ex_ante.csv"].append({"agreement_code": a["code"], "criterion": crit,
                                            "score": str(new),
                                            "assessed_on": later.isoformat()})

    # ---- meetings --------------------------------------------------------------------
    hours = {"workshop": [2, 2.5, 3], "assembly": [1.5, 2, 2.5], "coordination": [1, 1.5, 2],
             "event": [2, 3, 4, 6, 8]}
    meetings = defaultdict(list)            # agreement code -> [(code, date, kind)]
    for a in ags:
        sched = [(a["lab"], "assembly")]                      # kick-off
        t = plus(a["lab"], rng.randint(12, 25))
        while t < plus(a["approved"], -20):
            sched.append((t, "workshop"))
            t = plus(t, rng.randint(14, 35))
        sched.append((plus(a["approved"], -rng.randint(3, 15)), "assembly"))  # restitution
        sched.append((a["signed"], "event"))                  # public signing
        t = plus(a["signed"], rng.randint(30, 70))
        nxt_event = plus(a["signed"], rng.randint(90, 200))
        nxt_assembly = plus(a["signed"], rng.randint(330, 400))
        while t <= a["end"]:
            sched.append((t, "coordination"))
            t = plus(t, rng.randint(60, 110))
        while nxt_event <= a["end"]:
            sched.append((nxt_event, "event"))
            nxt_event = plus(nxt_event, rng.randint(110, 250))
        while nxt_assembly <= a["end"]:
            sched.append((nxt_assembly, "assembly"))
            nxt_assembly = plus(nxt_assembly, rng.randint(330, 400))
        sched.sort()
        for i, (when, kind) in enumerate(sched, 1):
            code = f"{a['code']}-M{i:03d}"
            meetings[a["code"]].append((code, when, kind))
            rows["meetings.csv"].append({"code": code, "agreement_code": a["code"],
                                         "held_on": when.isoformat(), "kind": kind,
                                         "hours": num(rng.choice(hours[kind]))})

    # ---- persons and attendance ------------------------------------------------------
    n_part = HEADLINE["out.participants"]
    n_staff_only = 16
    ids = [f"P{i:05d}" for i in range(1, n_part + n_staff_only + 1)]
    rng.shuffle(ids)
    staff_only, participants = ids[:n_staff_only], ids[n_staff_only:]
    # pool sizes: the Lab. Urbano had 130 participants; the others by population and age
    weights = []
    for a in ags:
        size = sum(pop[n] for n in a["areas"]) ** 0.5
        months = max(3, (AS_OF - a["lab"]).days / 30.0)
        weights.append(size * (0.7 + 0.6 * rng.random()) * (0.6 + min(months, 40) / 40.0))
    nilde = [i for i, a in enumerate(ags) if a["suffix"] == NILDE_IOTTI][0]
    rest = [w for i, w in enumerate(weights) if i != nilde]
    sizes = apportion(n_part - 130, rest)
    sizes.insert(nilde, 130)
    pools = defaultdict(list)               # agreement code -> [(person, role)]
    pos = 0
    role_dist = [("citizen", 0.78), ("association", 0.18), ("business", 0.04)]
    home = {}
    for a, size in zip(ags, sizes):
        for p in participants[pos:pos + size]:
            pools[a["code"]].append((p, draw_count(rng, role_dist)))
            home[p] = a["code"]
        pos += size
    assert pos == n_part
    # 110 persons also take part in a second agreement (a neighbouring one when possible)
    for p in rng.sample(participants, 110):
        a = agby[home[p]]
        near = [b["code"] for b in ags if b["code"] != a["code"]
                and set(b["areas"]) & set(a["areas"])]
        other = rng.choice(near) if near and rng.random() < 0.7 else rng.choice(
            [b["code"] for b in ags if b["code"] != a["code"]])
        pools[other].append((p, draw_count(rng, role_dist)))

    kind_weight = {"citizen": {"workshop": 3, "assembly": 4, "event": 6, "coordination": 0.3},
                   "association": {"workshop": 3, "assembly": 3, "event": 3, "coordination": 3},
                   "business": {"workshop": 2, "assembly": 2, "event": 4, "coordination": 1}}
    k_dist = {"citizen": [(1, 0.5), (2, 0.25), (3, 0.13), (4, 0.07), (5, 0.05)],
              "association": [(1, 0.25), (2, 0.25), (3, 0.2), (4, 0.15), (5, 0.1), (6, 0.05)],
              "business": [(1, 0.5), (2, 0.3), (3, 0.2)]}
    # staff: architects of the neighbourhood (one per agreement, each covers several) and
    # officers of the departments; two officers also live in a QUA neighbourhood and take
    # part in their own neighbourhood's meetings as citizens.
    architects = staff_only[:6]
    officers = staff_only[6:] + rng.sample(participants, 2)
    for i, a in enumerate(ags):
        a["architect"] = architects[i % len(architects)]
    attendance = defaultdict(dict)          # meeting code -> {person: role}
    for a in ags:
        ms = meetings[a["code"]]
        for p, role in pools[a["code"]]:
            k = draw_count(rng, k_dist[role])
            chosen = wsample(rng, ms, [kind_weight[role][m[2]] for m in ms], k)
            for m in chosen:
                attendance[m[0]][p] = role
        for m in ms:                        # no meeting with fewer than 3 citizens
            present = attendance[m[0]]
            while len(present) < 3:
                p, role = rng.choice(pools[a["code"]])
                present.setdefault(p, role)
        for m in ms:
            present = attendance[m[0]]
            present[a["architect"]] = "staff"
            if m[2] != "coordination" or rng.random() < 0.3:
                for o in rng.sample(officers, rng.choice([0, 1, 1, 2])):
                    if o not in present:
                        present[o] = "staff"
    for code in [m[0] for a in ags for m in meetings[a["code"]]]:
        for p, role in attendance[code].items():
            rows["attendance.csv"].append({"meeting_code": code, "person": p, "role": role})

    # ---- signatories and signatures --------------------------------------------------
    n_sig = HEADLINE["out.signatories"]
    kinds = (["association"] * HEADLINE["out.signatories.association"]
             + ["volunteer"] * HEADLINE["out.signatories.volunteer"]
             + ["business"] * HEADLINE["out.signatories.business"])
    assert len(kinds) == n_sig
    rng.shuffle(kinds)
    sig_sizes = apportion(n_sig, [len(pools[a["code"]]) for a in ags])
    signed_by = defaultdict(list)           # agreement code -> [signatory code]
    sigs = []                               # (code, kind, agreement code)
    pos = 0
    for a, size in zip(ags, sig_sizes):
        for kind in kinds[pos:pos + size]:
            code = f"S{len(sigs) + 1:04d}"
            sigs.append((code, kind, a["code"]))
            signed_by[a["code"]].append(code)
        pos += size
    # bridging: 50 associations, 18 volunteers and 2 businesses sign further agreements
    by_kind = defaultdict(list)
    for code, kind, ac in sigs:
        by_kind[kind].append((code, ac))
    bridging = (rng.sample(by_kind["association"], 50) + rng.sample(by_kind["volunteer"], 18)
                + rng.sample(by_kind["business"], 2))
    bridging_codes = []
    for code, ac in bridging:
        extra = 2 if rng.random() < 0.15 else 1
        others = [b["code"] for b in ags if b["code"] != ac and code not in signed_by[b["code"]]]
        for b in rng.sample(others, extra):
            signed_by[b].append(code)
        bridging_codes.append(code)
    # names
    used = set()
    city_names = list(CITY_ASSOCIATIONS)
    bridging_set = set(bridging_codes)
    names = {}
    for code, kind, ac in sigs:
        a = agby[ac]
        if kind == "business":
            name = BUSINESSES[len([1 for n in names.values() if n[0] == "business"])]
        elif kind == "volunteer":
            name = (f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"
                    if rng.random() < 0.65 else "")
        elif code in bridging_set and city_names:
            name = city_names.pop(0)
        else:
            name = ""
            while not name or name in used:
                place = nname[rng.choice(a["areas"])]
                if rng.random() < 0.6:
                    name = rng.choice(LOCAL_ASSOCIATION_TEMPLATES).format(p=place)
                else:
                    name = f"{rng.choice(ASSOCIATION_FORMS)} {rng.choice(ASSOCIATION_NAMES)}"
                    if rng.random() < 0.5:
                        name += f" – {place}"
        used.add(name)
        names[code] = (kind, name)
        rows["signatories.csv"].append({"code": code, "kind": kind, "name": name})
    for a in ags:
        for code in signed_by[a["code"]]:
            when = a["signed"]
            if rng.random() < 0.15:                          # later adhesion
                when = between(rng, plus(a["signed"], 20), min(plus(a["signed"], 500),
                                                               a["end"]))
            rows["signatures.csv"].append({"agreement_code": a["code"],
                                           "signatory_code": code,
                                           "signed_on": when.isoformat()})

    # ---- projects --------------------------------------------------------------------
    n_cc = HEADLINE["out.projects.community_care"]
    extra = [0] * len(ags)
    for _ in range(n_cc - 4 * len(ags)):
        i = rng.choice([j for j in range(len(ags)) if extra[j] < 4])
        extra[i] += 1
    projects = []                           # dicts
    for a, ex in zip(ags, extra):
        titles = rng.sample(COMMUNITY_PROJECTS, 4 + ex)
        plan = [("community_care", t) for t in titles]
        if a["suffix"] not in NO_CITY_CARE:
            plan.insert(rng.randint(0, len(plan)), ("city_care", rng.choice(CITY_PROJECTS)))
        for i, (kind, title) in enumerate(plan, 1):
            if rng.random() < 0.15 and plus(a["signed"], 60) < a["end"]:   # defined later
                defined = between(rng, plus(a["signed"], 60),
                                  min(plus(a["signed"], 500), plus(a["end"], -30)))
            else:
                defined = between(rng, max(a["lab"], plus(a["approved"], -60)), a["signed"])
            place = nname[rng.choice(a["areas"])]
            full = f"{title} – {place}" if kind == "city_care" else title
            projects.append({"code": f"{a['code']}-P{i:02d}", "agreement": a["code"],
                             "kind": kind, "title": full, "defined": defined,
                             "completed": None})
    # completion: community projects after 5-24 months; city works when paid (below)
    for p in projects:
        a = agby[p["agreement"]]
        if p["kind"] == "community_care":
            done = plus(p["defined"], rng.randint(150, 720))
            if done > a["end"] and a["closed"] and rng.random() < 0.9:
                done = a["closed"]
            if done <= a["end"] and rng.random() < 0.8:
                p["completed"] = max(done, p["defined"])

    # ---- finance ---------------------------------------------------------------------
    fin = []                                # (project code, date, stage, amount)
    cc = [p for p in projects if p["kind"] == "community_care"]
    city = [p for p in projects if p["kind"] == "city_care"]
    assert len(cc) == n_cc and len(city) == HEADLINE["out.projects.city_care"]

    def scaled(total_units, ps, lo, hi, min_units):
        raw = [rng.randint(lo, hi) for _ in ps]
        u = [max(min_units, int(math.floor(r * total_units / sum(raw) + 0.5))) for r in raw]
        i = 0
        while sum(u) != total_units:
            step = 1 if sum(u) < total_units else -1
            if u[i % len(u)] + step >= min_units:
                u[i % len(u)] += step
            i += 1
        return u

    def alloc_date(p):
        return max(agby[p["agreement"]]["signed"], p["defined"])

    cc_units = scaled(HEADLINE["eff.allocated_eur.community_care"] // 100, cc, 15, 75, 10)
    city_units = scaled(HEADLINE["eff.allocated_eur.city_care"] // 5000, city, 4, 24, 4)
    correction_cc = cc[7]["code"]           # an allocation corrected downwards later
    correction_city = city[4]["code"]
    for p, u in zip(cc, cc_units):
        p["allocated"] = u * 100
    for p, u in zip(city, city_units):
        p["allocated"] = u * 5000
    for p in projects:
        when = alloc_date(p)
        corr = {correction_cc: 1500, correction_city: 25000}.get(p["code"], 0)
        fin.append((p["code"], when, "allocated", p["allocated"] + corr))
        if corr:
            fin.append((p["code"], min(plus(when, rng.randint(60, 120)), AS_OF), "allocated",
                        -corr))
    # community care: committed and spent, plausible
    for p in cc:
        a = agby[p["agreement"]]
        start = alloc_date(p)
        c_date = plus(start, rng.randint(15, 120))
        if c_date > AS_OF or (not p["completed"] and rng.random() < 0.1):
            continue
        if p["completed"] and c_date > p["completed"]:
            c_date = max(start, p["completed"])
        committed = p["allocated"] if rng.random() < 0.5 else int(
            p["allocated"] * rng.uniform(0.7, 0.95) / 50) * 50
        fin.append((p["code"], c_date, "committed", committed))
        if p["completed"]:
            parts = [committed] if rng.random() < 0.5 else [committed // 2,
                                                             committed - committed // 2]
            dates = [between(rng, c_date, p["completed"]), min(plus(p["completed"], 40),
                                                              AS_OF)]
            for amt, when in zip(parts, dates[-len(parts):]):
                fin.append((p["code"], max(when, c_date), "spent", amt))
        else:
            s_date = plus(c_date, rng.randint(30, 200))
            if s_date <= AS_OF:
                fin.append((p["code"], s_date, "spent",
                            int(committed * rng.uniform(0.2, 0.8) / 10) * 10))
    # city care: commit the earliest-signed works up to the published 590,000 euro
    left = HEADLINE["eff.committed_eur.city_care"]
    correction_commit = None
    for p in sorted(city, key=lambda q: (alloc_date(q), q["code"])):
        if left <= 0:
            break
        amount = min(p["allocated"], left)
        left -= amount
        start = alloc_date(p)
        c_date = between(rng, plus(start, 90), min(plus(start, 300), plus(AS_OF, -60)))
        if correction_commit is None and amount == p["allocated"]:
            correction_commit = p["code"]   # tender discount, booked later
            fin.append((p["code"], c_date, "committed", amount + 8500))
            fin.append((p["code"], plus(c_date, rng.randint(20, 45)), "committed", -8500))
        else:
            fin.append((p["code"], c_date, "committed", amount))
        # works paid by progress certificates (SAL); finished works complete the project
        paid, when = 0, c_date
        n_sal = rng.choice([1, 2, 3])
        finished = (plus(c_date, rng.randint(150, 420)) <= AS_OF
                    and amount == p["allocated"] and rng.random() < 0.75)
        share = 1.0 if finished else rng.choice([0.0, rng.uniform(0.15, 0.5)])
        if share == 0.0:
            continue                        # contract signed, works about to start
        for k in range(n_sal):
            when = plus(when, rng.randint(60, 140))
            if when > AS_OF:
                break
            amt = (int(amount * share) - paid if k == n_sal - 1
                   else int(amount * share / n_sal / 100) * 100)
            fin.append((p["code"], when, "spent", amt))
            paid += amt
        else:
            if finished and paid == amount:
                p["completed"] = when
    assert left == 0 and correction_commit
    fin.sort(key=lambda f: (f[1], f[0], f[2], -f[3]))
    for code, when, stage, amount in fin:
        assert when <= AS_OF
        rows["finance.csv"].append({"project_code": code, "booked_on": when.isoformat(),
                                    "stage": stage, "amount_eur": f"{amount:.2f}"})
    for p in projects:
        rows["projects.csv"].append({
            "code": p["code"], "agreement_code": p["agreement"], "kind": p["kind"],
            "title": p["title"], "defined_on": p["defined"].isoformat(),
            "completed_on": p["completed"].isoformat() if p["completed"] else ""})

    # ---- milestones ------------------------------------------------------------------
    steps = {"community_care": ["Avvio delle attività", "Prima verifica con i firmatari",
                                "Evento pubblico di restituzione"],
             "city_care": ["Progetto esecutivo approvato", "Affidamento dei lavori",
                           "Fine lavori e collaudo"]}
    for p in projects:
        n = rng.choice([1, 2, 2, 3]) if p["kind"] == "community_care" else 3
        due = p["defined"]
        for i, title in enumerate(steps[p["kind"]][:n], 1):
            due = plus(due, rng.randint(45, 220))
            achieved = None
            if p["completed"]:
                achieved = min(p["completed"], plus(due, rng.choice(
                    [-20, -5, 0, 0, 10, 35, 70])))
            elif due <= AS_OF:
                r = rng.random()
                if r < 0.55:
                    achieved = plus(due, -rng.randint(0, 25))
                elif r < 0.85:
                    achieved = plus(due, rng.randint(5, 120))
            elif rng.random() < 0.2:
                achieved = plus(due, -rng.randint(20, 60))
            if achieved is not None:
                achieved = max(achieved, p["defined"])
                if achieved > AS_OF:
                    achieved = None
            rows["milestones.csv"].append({
                "code": f"{p['code']}-T{i}", "project_code": p["code"], "title": title,
                "due_on": due.isoformat(),
                "achieved_on": achieved.isoformat() if achieved else ""})

    # ---- resources (one row per agreement, quarter and kind) -------------------------
    for a in ags:
        q = quarter_end(a["lab"])
        while True:
            when = min(q, a["end"])
            lab_phase = when <= quarter_end(a["signed"])
            staff = rng.randint(60, 140) if lab_phase else rng.randint(15, 60)
            vol = rng.randint(0, 60) if lab_phase else rng.randint(80, 650)
            rows["resources.csv"].append({"agreement_code": a["code"],
                                          "recorded_on": when.isoformat(),
                                          "kind": "staff_hours",
                                          "quantity": num(staff + 0.5 * rng.randint(0, 1))})
            rows["resources.csv"].append({"agreement_code": a["code"],
                                          "recorded_on": when.isoformat(),
                                          "kind": "volunteer_hours", "quantity": str(vol)})
            if not lab_phase and rng.random() < 0.5:
                rows["resources.csv"].append({
                    "agreement_code": a["code"], "recorded_on": when.isoformat(),
                    "kind": "in_kind_eur", "quantity": num(rng.randint(20, 300) * 10)})
            if q >= a["end"]:
                break
            q = quarter_end(plus(q, 1))

    # ---- surveys and responses -------------------------------------------------------
    respondent_no = [0]

    def new_respondent():
        respondent_no[0] += 1
        return f"R{respondent_no[0]:05d}"

    def answer(survey, respondent, instrument, latent, blank_all=False):
        for i in range(1, SURVEY_ITEMS[instrument] + 1):
            score = ""
            if not blank_all and rng.random() >= 0.05:
                score = str(clamp_score(latent + rng.gauss(0, 0.6)))
            rows["responses.csv"].append({"survey_code": survey, "respondent": respondent,
                                          "item": f"q{i}", "score": score})

    def survey(code, agreement, instrument, wave, when):
        rows["surveys.csv"].append({"code": code, "policy_code": POLICY,
                                    "agreement_code": agreement or "",
                                    "instrument": instrument, "wave": wave,
                                    "fielded_on": when.isoformat()})

    def field(code, agreement, instrument, wave, when, panel):
        """panel: [(respondent, latent)]; about 1 in 40 answers nothing at all."""
        survey(code, agreement, instrument, wave, when)
        for r, latent in panel:
            answer(code, r, instrument, latent, blank_all=rng.random() < 0.025)

    small = {("19", "agreement_quality"): 4, ("13", "satisfaction"): 3,
             ("12", "relationship_quality"): 6, ("17", "quality_of_life_T1"): 4}
    for a in ags:
        s, ac = a["suffix"], a["code"]
        pool = [new_respondent() for _ in range(45)]
        base = rng.randint(7, 20)

        def n_of(key):
            return small.get((s, key), max(8, base + rng.randint(-3, 5)))

        # agreement quality, once, soon after signing
        when = plus(a["signed"], rng.randint(20, 80))
        if when <= AS_OF:
            mu = rng.uniform(3.3, 4.3)
            field(f"{ac}-AQ", ac, "agreement_quality", "once", when,
                  [(r, rng.gauss(mu, 0.6)) for r in rng.sample(pool, n_of("agreement_quality"))])
        # satisfaction with the projects, once, about a year after signing
        when = plus(a["signed"], rng.randint(270, 450))
        if when <= a["end"]:
            mu = rng.uniform(3.4, 4.5)
            field(f"{ac}-SAT", ac, "satisfaction", "once", when,
                  [(r, rng.gauss(mu, 0.7)) for r in rng.sample(pool, n_of("satisfaction"))])
        # relationship quality: panel T0 at the lab, T1 a year after signing
        t0 = plus(a["lab"], rng.randint(10, 40))
        t1 = plus(a["signed"], rng.randint(300, 420))
        mu0, delta = rng.uniform(2.6, 3.4), rng.uniform(-0.1, 0.7)
        n0 = n_of("relationship_quality")
        members = rng.sample(pool, n0 + 6)
        t0_panel = [(r, rng.gauss(mu0, 0.7)) for r in members[:n0]]
        field(f"{ac}-RQ-T0", ac, "relationship_quality", "T0", t0, t0_panel)
        if t1 <= a["end"]:
            stay = 0.5 if s == "12" else rng.uniform(0.6, 0.85)
            kept = [(r, x + rng.gauss(delta, 0.5)) for r, x in t0_panel if rng.random() < stay]
            fresh = [(r, rng.gauss(mu0 + delta, 0.7))
                     for r in members[n0:n0 + rng.randint(1, 6)]]
            field(f"{ac}-RQ-T1", ac, "relationship_quality", "T1", t1, kept + fresh)
        # perceived quality of life: independent samples T0 / T1
        mq, dq = rng.uniform(3.0, 3.6), rng.uniform(-0.1, 0.4)
        field(f"{ac}-QOL-T0", ac, "quality_of_life", "T0", plus(t0, rng.randint(0, 7)),
              [(r, rng.gauss(mq, 0.6)) for r in rng.sample(pool, n_of("quality_of_life_T0"))])
        if t1 <= a["end"]:
            field(f"{ac}-QOL-T1", ac, "quality_of_life", "T1", plus(t1, rng.randint(0, 7)),
                  [(r, rng.gauss(mq + dq, 0.6))
                   for r in rng.sample(pool, n_of("quality_of_life_T1"))])
    # organisational culture: policy-wide staff surveys in 2016 and 2018 (partly the same
    # staff), plus the Lab. Urbano's own team and a small one in the Centro storico.
    staff_pool = [new_respondent() for _ in range(45)]
    latent = {r: rng.gauss(3.1, 0.6) for r in staff_pool}
    field(f"{POLICY}-ORG-T0", None, "org_culture", "T0", day("2016-05-16"),
          [(r, latent[r]) for r in staff_pool[:30]])
    field(f"{POLICY}-ORG-T1", None, "org_culture", "T1", day("2018-05-14"),
          [(r, latent[r] + rng.gauss(0.45, 0.4)) for r in staff_pool[8:42]])
    for s, n, when in (("16", 7, "2018-03-20"), ("11", 4, "2017-11-07")):
        ac = f"{POLICY}-{s}"
        field(f"{ac}-ORG", ac, "org_culture", "once", day(when),
              [(new_respondent(), rng.gauss(3.6, 0.5)) for _ in range(n)])

    # ---- organisational events -------------------------------------------------------
    events = []
    for a in ags:
        for _ in range(rng.choice([0, 1, 1, 2])):
            kind = rng.choice(["new_solution", "new_solution", "process_change", "new_method"])
            dept = rng.choice(DEPARTMENTS[1:6])
            when = between(rng, plus(a["lab"], 60), a["end"])
            qty = "" if rng.random() < 0.3 else str(rng.choice([1, 1, 1, 2]))
            events.append((when, a["code"], kind, dept, qty,
                           rng.choice(ORG_EVENT_TEXT[kind])))
    for when, kind, dept, qty, text in [
            ("2015-03-02", "process_change", "Partecipazione e Quartieri", "1",
             "Regolamento per la cittadinanza responsabile e gli accordi di cittadinanza"),
            ("2015-04-20", "training", "Partecipazione e Quartieri", "12",
             "Formazione degli architetti di quartiere alla facilitazione"),
            ("2015-11-10", "new_method", "Partecipazione e Quartieri", "1",
             "Laboratorio di quartiere come metodo di progettazione"),
            ("2016-03-15", "training", "Lavori Pubblici", "22",
             "Formazione del personale dei Lavori Pubblici alla co-progettazione"),
            ("2016-10-04", "process_change", "Lavori Pubblici", "1",
             "Programmazione delle opere pubbliche aggiornata con gli accordi"),
            ("2017-02-21", "training", "Servizi Sociali", "18",
             "Formazione su amministrazione condivisa e beni comuni"),
            ("2017-06-06", "new_method", "Partecipazione e Quartieri", "",
             "Monitoraggio T0-T1 della qualità della relazione"),
            ("2017-09-26", "process_change", "Mobilità", "1",
             "Tavolo intersettoriale sugli accordi di cittadinanza\n"
             "Partecipano Lavori Pubblici, Ambiente, Mobilità e Servizi Sociali"),
            ("2018-01-23", "new_solution", "Ambiente", "2",
             "Patto semplificato per la cura del verde di quartiere"),
            ("2018-04-17", "training", "Partecipazione e Quartieri", "31",
             "Corso sulla valutazione d'impatto sociale"),
            ("2018-10-09", "new_method", "Partecipazione e Quartieri", "1",
             "Cruscotto di valutazione degli accordi"),
            ("2018-11-20", "new_solution", "Polizia Locale", "1",
             "Presidio di prossimità concordato con i firmatari degli accordi")]:
        events.append((day(when), None, kind, dept, qty, text))
    events.sort(key=lambda e: (e[0], e[1] or "", e[2]))
    for when, ac, kind, dept, qty, text in events:
        rows["org_events.csv"].append({"policy_code": POLICY, "agreement_code": ac or "",
                                       "occurred_on": when.isoformat(), "kind": kind,
                                       "department": dept, "quantity": qty,
                                       "description": text})

    # ---- targets and weights ---------------------------------------------------------
    for ind, level, target, amber in TARGETS:
        rows["targets.csv"].append({"policy_code": POLICY, "indicator": ind, "level": level,
                                    "target": target, "amber_ratio": amber or ""})
    for item, w in WEIGHTS:
        rows["weights.csv"].append({"policy_code": POLICY, "item": item, "weight": w})

    # ---- qualitative evidence (fixed text: no draw from rng) ----------------------------
    for code, ac, nb, when, kind, title, summary, participants in EVIDENCE:
        rows["evidence.csv"].append({"policy_code": POLICY, "code": code, "agreement_code": ac,
                                     "neighbourhood_code": nb, "recorded_on": when,
                                     "kind": kind, "title": title, "summary": summary,
                                     "participants": participants})
    return rows


def write(rows, outdir):
    os.makedirs(outdir, exist_ok=True)
    for name, cols in COLUMNS.items():
        with open(os.path.join(outdir, name), "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
            w.writeheader()
            for r in rows[name]:
                w.writerow(r)


# --------------------------------------------------------------------------------------
# Verification: read the files back, check docs/IMPORT.md, recompute per docs/METHOD.md
# --------------------------------------------------------------------------------------


def read(outdir):
    data = {}
    for name, cols in COLUMNS.items():
        with open(os.path.join(outdir, name), encoding="utf-8", newline="") as f:
            r = csv.DictReader(f)
            assert r.fieldnames == cols, (name, r.fieldnames)
            data[name] = [{k: (v if v != "" else None) for k, v in row.items()}
                          for row in r]
    return data


CODE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
CATALOGUE_NON_NEUTRAL_P = {
    "out.agreements_signed", "out.participants", "out.meetings", "out.signatories",
    "out.projects", "out.participation_rate", "eff.commitment_rate", "eff.spend_rate",
    "eff.cost_per_participant", "eff.leverage", "eff.days_to_signature",
    "eft.agreement_quality", "eft.satisfaction", "eft.satisfied_share",
    "eft.milestones_on_time", "soc.relationship_change", "soc.relationship_improved_share",
    "soc.quality_of_life_change", "soc.bridging_share", "org.new_solutions",
    "org.process_changes", "org.culture_score"}
CATALOGUE_NON_NEUTRAL_A = (CATALOGUE_NON_NEUTRAL_P - {"out.agreements_signed"}) | {
    "soc.new_partners_share"}
POLARITY_LOWER = {"eff.cost_per_participant", "eff.days_to_signature"}
DIMENSION_OF = {"out": "output", "eff": "efficiency", "eft": "effectiveness",
                "soc": "social_impact", "org": "organisational_impact"}


def check_rules(data):
    """The docs/IMPORT.md rules, on the rows as read back."""
    def codes(name):
        cs = [r["code"] for r in data[name]]
        assert all(c and CODE_RE.match(c) for c in cs), name
        assert len(cs) == len(set(cs)), f"{name}: duplicate code"
        return set(cs)

    def dates_ok(*ds):
        present = [d for d in ds if d]
        return all(x <= y for x, y in zip(present, present[1:]))

    pol = codes("policies.csv")
    for r in data["policies.csv"]:
        assert r["locale"] in ("it", "en") and float(r["volunteer_hour_value_eur"]) >= 0
        assert int(r["min_cell"]) >= 1
    nb = codes("neighbourhoods.csv")
    assert all(int(r["population"]) >= 0 for r in data["neighbourhoods.csv"])
    ag = codes("agreements.csv")
    agpol = {}
    for r in data["agreements.csv"]:
        assert r["policy_code"] in pol and r["title"]
        assert dates_ok(r["lab_started_on"], r["approved_on"], r["signed_on"], r["closed_on"],
                        r["published_on"]), r
        agpol[r["code"]] = r["policy_code"]
    pairs = [(r["agreement_code"], r["neighbourhood_code"]) for r in data["agreement_areas.csv"]]
    assert len(pairs) == len(set(pairs)) and all(a in ag and n in nb for a, n in pairs)
    for r in data["ex_ante.csv"]:
        assert r["agreement_code"] in ag and r["criterion"] in (
            "feasibility", "opportunity", "relevance") and 1 <= int(r["score"]) <= 5
        assert r["assessed_on"]
    sg = codes("signatories.csv")
    assert all(r["kind"] in ("association", "volunteer", "business", "other")
               for r in data["signatories.csv"])
    pairs = [(r["agreement_code"], r["signatory_code"]) for r in data["signatures.csv"]]
    assert len(pairs) == len(set(pairs)) and all(a in ag and s in sg for a, s in pairs)
    pr = codes("projects.csv")
    for r in data["projects.csv"]:
        assert r["agreement_code"] in ag and r["kind"] in ("community_care", "city_care")
        assert r["title"] and dates_ok(r["defined_on"], r["completed_on"])
    for r in data["finance.csv"]:
        assert r["project_code"] in pr and r["stage"] in ("allocated", "committed", "spent")
        float(r["amount_eur"])
    codes("milestones.csv")
    assert all(r["project_code"] in pr and r["title"] and r["due_on"]
               for r in data["milestones.csv"])
    mt = codes("meetings.csv")
    for r in data["meetings.csv"]:
        assert r["agreement_code"] in ag and r["kind"] in (
            "workshop", "assembly", "coordination", "event") and float(r["hours"]) > 0
    pairs = [(r["meeting_code"], r["person"]) for r in data["attendance.csv"]]
    assert len(pairs) == len(set(pairs)) and all(m in mt and p for m, p in pairs)
    assert all(r["role"] in ("citizen", "association", "business", "staff")
               for r in data["attendance.csv"])
    for r in data["resources.csv"]:
        assert r["agreement_code"] in ag and r["kind"] in (
            "staff_hours", "volunteer_hours", "in_kind_eur") and float(r["quantity"]) >= 0
    sv = codes("surveys.csv")
    for r in data["surveys.csv"]:
        assert r["policy_code"] in pol and r["wave"] in ("T0", "T1", "once")
        assert r["instrument"] in ("agreement_quality", "satisfaction", "relationship_quality",
                                   "quality_of_life", "org_culture")
        if r["agreement_code"]:
            assert agpol[r["agreement_code"]] == r["policy_code"]
        else:
            assert r["instrument"] == "org_culture"
    keys = [(r["survey_code"], r["respondent"], r["item"]) for r in data["responses.csv"]]
    assert len(keys) == len(set(keys)) and all(s in sv and p and i for s, p, i in keys)
    assert all(r["score"] is None or r["score"] in "12345" for r in data["responses.csv"])
    for r in data["org_events.csv"]:
        assert r["policy_code"] in pol and r["department"] and r["occurred_on"]
        assert r["kind"] in ("new_solution", "process_change", "new_method", "training")
        assert r["quantity"] is None or int(r["quantity"]) >= 1
        if r["agreement_code"]:
            assert agpol[r["agreement_code"]] == r["policy_code"]
    keys = [(r["policy_code"], r["indicator"], r["level"]) for r in data["targets.csv"]]
    assert len(keys) == len(set(keys))
    for r in data["targets.csv"]:
        allowed = (CATALOGUE_NON_NEUTRAL_A if r["level"] == "agreement"
                   else CATALOGUE_NON_NEUTRAL_P)
        assert r["policy_code"] in pol and r["indicator"] in allowed, r
        float(r["target"])
        assert r["amber_ratio"] is None or 0 < float(r["amber_ratio"]) <= 1
    keys = [(r["policy_code"], r["item"]) for r in data["weights.csv"]]
    assert len(keys) == len(set(keys)) and all(float(r["weight"]) >= 0
                                               for r in data["weights.csv"])
    dims = set(DIMENSION_OF.values())
    indicators = CATALOGUE_NON_NEUTRAL_A | CATALOGUE_NON_NEUTRAL_P
    assert all(r["item"] in dims or r["item"] in indicators for r in data["weights.csv"])
    codes("evidence.csv")
    control = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    for r in data["evidence.csv"]:
        assert r["policy_code"] in pol and r["recorded_on"], r
        assert r["kind"] in ("focus_group", "interview", "observation", "document"), r
        assert not (r["agreement_code"] and r["neighbourhood_code"]), r
        if r["agreement_code"]:
            assert agpol[r["agreement_code"]] == r["policy_code"], r
        assert r["neighbourhood_code"] is None or r["neighbourhood_code"] in nb, r
        assert r["title"].strip() and len(r["title"]) <= 200, r
        assert not re.search("[\x00-\x1f\x7f-\x9f]", r["title"]), r
        assert r["summary"].strip() and len(r["summary"]) <= 4000, r
        assert not control.search(r["summary"]), r
        assert r["participants"] is None or int(r["participants"]) >= 1, r


class Calc:
    """The docs/METHOD.md definitions needed for the headline figures and the targets, at
    level P (agreement=None) or A, as of D.  A reference for cross-checking the engine."""

    def __init__(self, data, d):
        self.data, self.d = data, d.isoformat()
        self.ag = {r["code"]: r for r in data["agreements.csv"]}
        self.scope = [c for c, r in self.ag.items() if r["lab_started_on"] <= self.d]
        self.pol = data["policies.csv"][0]

    def ags(self, a):
        return [a] if a else self.scope

    def participants(self, a):
        held = {r["code"] for r in self.data["meetings.csv"]
                if r["agreement_code"] in self.ags(a) and r["held_on"] <= self.d}
        return len({r["person"] for r in self.data["attendance.csv"]
                    if r["meeting_code"] in held and r["role"] != "staff"})

    def population(self, a):
        ns = {r["neighbourhood_code"] for r in self.data["agreement_areas.csv"]
              if r["agreement_code"] in self.ags(a)}
        return sum(int(r["population"]) for r in self.data["neighbourhoods.csv"]
                   if r["code"] in ns)

    def signatories(self, a, kind=None):
        kinds = {r["code"]: r["kind"] for r in self.data["signatories.csv"]}
        return len({r["signatory_code"] for r in self.data["signatures.csv"]
                    if r["agreement_code"] in self.ags(a) and r["signed_on"] <= self.d
                    and (kind is None or kinds[r["signatory_code"]] == kind)})

    def projects(self, a, kind=None):
        return sum(1 for r in self.data["projects.csv"] if r["agreement_code"] in self.ags(a)
                   and r["defined_on"] <= self.d and (kind is None or r["kind"] == kind))

    def money(self, a, stage, kind=None):
        pk = {r["code"]: r for r in self.data["projects.csv"]}
        return sum(float(r["amount_eur"]) for r in self.data["finance.csv"]
                   if r["stage"] == stage and r["booked_on"] <= self.d
                   and pk[r["project_code"]]["agreement_code"] in self.ags(a)
                   and (kind is None or pk[r["project_code"]]["kind"] == kind))

    def resource(self, a, kind):
        return sum(float(r["quantity"]) for r in self.data["resources.csv"]
                   if r["agreement_code"] in self.ags(a) and r["kind"] == kind
                   and r["recorded_on"] <= self.d)

    def days_to_signature(self, a):
        vals = []
        for c in self.ags(a):
            r = self.ag[c]
            if r["approved_on"] and r["signed_on"] and r["signed_on"] <= self.d:
                vals.append((day(r["signed_on"]) - day(r["approved_on"])).days)
        if not vals:
            return None
        vals.sort()
        m = len(vals) // 2
        return float(vals[m]) if len(vals) % 2 else (vals[m - 1] + vals[m]) / 2

    def respondent_scores(self, a, instrument, wave=None, policy_group=True):
        """[(group, respondent, score)]: one score per respondent and agreement."""
        surveys = {}
        for r in self.data["surveys.csv"]:
            if r["instrument"] != instrument or r["fielded_on"] > self.d:
                continue
            if wave and r["wave"] != wave:
                continue
            if r["agreement_code"] in self.ags(a):
                surveys[r["code"]] = r["agreement_code"]
            elif r["agreement_code"] is None and a is None and policy_group:
                surveys[r["code"]] = "<policy>"
        acc = defaultdict(list)
        for r in self.data["responses.csv"]:
            if r["survey_code"] in surveys and r["score"] is not None:
                acc[(surveys[r["survey_code"]], r["respondent"])].append(int(r["score"]))
        return {k: sum(v) / len(v) for k, v in acc.items()}

    def mean(self, a, instrument):
        s = list(self.respondent_scores(a, instrument).values())
        return (sum(s) / len(s) if s else None), len(s)

    def satisfied(self, a):
        s = list(self.respondent_scores(a, "satisfaction").values())
        return (100.0 * sum(1 for x in s if x >= 4.0 - 1e-9) / len(s) if s else None), len(s)

    def pairs(self, a):
        t0 = self.respondent_scores(a, "relationship_quality", "T0")
        t1 = self.respondent_scores(a, "relationship_quality", "T1")
        return [t1[k] - t0[k] for k in t0 if k in t1]

    def relationship_change(self, a):
        d = self.pairs(a)
        return (sum(d) / len(d) if d else None), len(d)

    def relationship_improved(self, a):
        d = self.pairs(a)
        return (100.0 * sum(1 for x in d if x > 1e-9) / len(d) if d else None), len(d)

    def qol_change(self, a):
        s0 = list(self.respondent_scores(a, "quality_of_life", "T0").values())
        s1 = list(self.respondent_scores(a, "quality_of_life", "T1").values())
        v = sum(s1) / len(s1) - sum(s0) / len(s0) if s0 and s1 else None
        return v, min(len(s0), len(s1))

    def milestones(self, a):
        pk = {r["code"]: r["agreement_code"] for r in self.data["projects.csv"]}
        due = [r for r in self.data["milestones.csv"]
               if pk[r["project_code"]] in self.ags(a) and r["due_on"] <= self.d]
        ok = sum(1 for r in due if r["achieved_on"] and r["achieved_on"] <= r["due_on"]
                 and r["achieved_on"] <= self.d)
        return (100.0 * ok / len(due) if due else None), len(due)

    def first_signature(self):
        first = {}
        for r in self.data["signatures.csv"]:
            s = r["signatory_code"]
            first[s] = min(first.get(s, r["signed_on"]), r["signed_on"])
        return first

    def new_partners(self, a):
        first = self.first_signature()
        mine = [r for r in self.data["signatures.csv"]
                if r["agreement_code"] == a and r["signed_on"] <= self.d]
        if not mine:
            return None
        return 100.0 * sum(1 for r in mine if r["signed_on"] == first[r["signatory_code"]]) \
            / len(mine)

    def bridging(self, a):
        allag = defaultdict(set)
        for r in self.data["signatures.csv"]:
            if r["signed_on"] <= self.d and self.ag[r["agreement_code"]]["policy_code"] == POLICY:
                allag[r["signatory_code"]].add(r["agreement_code"])
        mine = {r["signatory_code"] for r in self.data["signatures.csv"]
                if r["agreement_code"] in self.ags(a) and r["signed_on"] <= self.d}
        if not mine:
            return None
        return 100.0 * sum(1 for s in mine if len(allag[s]) >= 2) / len(mine)

    def org(self, a, kind):
        return sum(int(r["quantity"] or 1) for r in self.data["org_events.csv"]
                   if r["kind"] == kind and r["occurred_on"] <= self.d
                   and (r["agreement_code"] == a if a else True))

    def value(self, code, a=None):
        """(value, n); n is the survey n used for suppression, else None."""
        div = (lambda x, y: x / y if y else None)
        if code == "out.agreements_signed":
            return sum(1 for c in self.scope if self.ag[c]["signed_on"]
                       and self.ag[c]["signed_on"] <= self.d), None
        if code == "out.participants":
            return self.participants(a), None
        if code == "out.meetings":
            return sum(1 for r in self.data["meetings.csv"] if r["agreement_code"] in
                       self.ags(a) and r["held_on"] <= self.d), None
        if code == "out.population":
            return self.population(a), None
        if code.startswith("out.signatories"):
            kind = code.split(".")[2] if code.count(".") == 2 else None
            return self.signatories(a, kind), None
        if code.startswith("out.projects"):
            return self.projects(a, code.split(".")[2] if code.count(".") == 2 else None), None
        if code == "out.participation_rate":
            p = self.population(a)
            return (self.participants(a) / p * 1000 if p else None), None
        for stage in ("allocated", "committed", "spent"):
            if code.startswith(f"eff.{stage}_eur"):
                return self.money(a, stage, code.split(".")[2] if code.count(".") == 2
                                  else None), None
        if code == "eff.commitment_rate":
            al = self.money(a, "allocated")
            return div(100 * self.money(a, "committed"), al), None
        if code == "eff.spend_rate":
            return div(100 * self.money(a, "spent"), self.money(a, "allocated")), None
        if code == "eff.cost_per_participant":
            return div(self.money(a, "spent"), self.participants(a)), None
        if code == "eff.leverage":
            value = (self.resource(a, "volunteer_hours")
                     * float(self.pol["volunteer_hour_value_eur"])
                     + self.resource(a, "in_kind_eur"))
            return div(value, self.money(a, "spent")), None
        if code == "eff.days_to_signature":
            return self.days_to_signature(a), None
        if code == "eft.agreement_quality":
            return self.mean(a, "agreement_quality")
        if code == "eft.satisfaction":
            return self.mean(a, "satisfaction")
        if code == "eft.satisfied_share":
            return self.satisfied(a)
        if code == "eft.milestones_on_time":
            return self.milestones(a)[0], None
        if code == "soc.relationship_change":
            return self.relationship_change(a)
        if code == "soc.relationship_improved_share":
            return self.relationship_improved(a)
        if code == "soc.quality_of_life_change":
            return self.qol_change(a)
        if code == "soc.new_partners_share":
            return self.new_partners(a), None
        if code == "soc.bridging_share":
            return self.bridging(a), None
        if code == "org.new_solutions":
            return self.org(a, "new_solution"), None
        if code == "org.process_changes":
            return self.org(a, "process_change"), None
        if code == "org.culture_score":
            return self.mean(a, "org_culture")
        raise KeyError(code)


def status(code, v, n, t, r):
    if v is None or (n is not None and n < MIN_CELL):
        return "none"
    tol = 1e-9 * max(1.0, abs(t))
    if code in POLARITY_LOWER:
        return ("green" if v <= t + tol else "amber" if v <= t + (1 - r) * abs(t) + tol
                else "red")
    return "green" if v >= t - tol else "amber" if v >= t - (1 - r) * abs(t) - tol else "red"


def verify(outdir):
    data = read(outdir)
    check_rules(data)
    calc = Calc(data, AS_OF)
    print(f"cruscotto demo data in {outdir} (policy {POLICY}, as of {AS_OF}, 2018-Q4)")
    for name in COLUMNS:
        print(f"  {name:<22} {len(data[name]):>6} rows")
    print("headline figures (docs/METHOD.md, policy level):")
    for code, expected in HEADLINE.items():
        got, _ = calc.value(code)
        ok = abs(got - expected) < 1e-6
        print(f"  {code:<36} {got:>14,.0f}   seed {expected:>12,}  {'ok' if ok else 'MISMATCH'}")
        assert ok, (code, got, expected)
    # the published "700,000 euro allocated but not yet committed" follows
    rest = calc.value("eff.allocated_eur.city_care")[0] - calc.value(
        "eff.committed_eur.city_care")[0]
    assert abs(rest - 700000) < 1e-6
    # facts the brief asks for
    staffp = {r["person"] for r in data["attendance.csv"] if r["role"] == "staff"}
    citp = {r["person"] for r in data["attendance.csv"] if r["role"] != "staff"}
    assert staffp - citp and staffp & citp
    assert calc.bridging(None) > 0
    assert any(float(r["amount_eur"]) < 0 for r in data["finance.csv"])
    # every fact is dated on or before 2018-12-31 (only milestone due dates are plans)
    for name, col in (("agreements.csv", "published_on"), ("agreements.csv", "signed_on"),
                      ("signatures.csv", "signed_on"), ("projects.csv", "completed_on"),
                      ("finance.csv", "booked_on"), ("milestones.csv", "achieved_on"),
                      ("meetings.csv", "held_on"), ("resources.csv", "recorded_on"),
                      ("surveys.csv", "fielded_on"), ("org_events.csv", "occurred_on"),
                      ("ex_ante.csv", "assessed_on"), ("evidence.csv", "recorded_on")):
        assert all(r[col] is None or r[col] <= calc.d for r in data[name]), (name, col)
    print("trend (policy level, at each year end):")
    for year in (2015, 2016, 2017, 2018):
        c = Calc(data, dt.date(year, 12, 31))
        print(f"  {year}-Q4: in scope {len(c.scope):>2}, signed "
              f"{c.value('out.agreements_signed')[0]:>2}, participants "
              f"{c.value('out.participants')[0]:>5}, signatories "
              f"{c.value('out.signatories')[0]:>3}, projects {c.value('out.projects')[0]:>3}, "
              f"meetings {c.value('out.meetings')[0]:>3}")
    blank = defaultdict(list)
    for r in data["responses.csv"]:
        blank[(r["survey_code"], r["respondent"])].append(r["score"] is None)
    print(f"  respondents x surveys: {len(blank)}, of which with no answered item: "
          f"{sum(1 for v in blank.values() if all(v))}")
    supp = []
    for a in calc.scope:
        for code in ("eft.agreement_quality", "eft.satisfaction", "soc.relationship_change",
                     "soc.quality_of_life_change", "org.culture_score"):
            v, n = calc.value(code, a)
            if 0 < n < MIN_CELL:
                supp.append(f"{a} {code} (n={n})")
    print("  suppressed (0 < n < min_cell) at 2018-Q4: " + "; ".join(supp))
    assert supp
    print("targets as of 2018-Q4:")
    counts = defaultdict(lambda: defaultdict(int))
    for r in data["targets.csv"]:
        t = float(r["target"])
        amber = float(r["amber_ratio"]) if r["amber_ratio"] else 0.8
        if r["level"] == "policy":
            v, n = calc.value(r["indicator"])
            st = status(r["indicator"], v, n, t, amber)
            counts["policy"][st] += 1
            vs = "null" if v is None else f"{v:.3f}"
            print(f"  P {r['indicator']:<34} value {vs:>10}  target {t:>8g}  {st}")
        elif r["level"] == "agreement":
            sts = defaultdict(int)
            for a in calc.scope:
                v, n = calc.value(r["indicator"], a)
                sts[status(r["indicator"], v, n, t, amber)] += 1
                counts["agreement"][status(r["indicator"], v, n, t, amber)] += 1
            mix = ", ".join(f"{k} {sts[k]}" for k in ("green", "amber", "red", "none") if sts[k])
            print(f"  A {r['indicator']:<34} target {t:>8g}  {mix}")
    for level in ("policy", "agreement"):
        c = counts[level]
        print(f"  {level} status mix: " + ", ".join(f"{k} {c[k]}" for k in
                                                    ("green", "amber", "red", "none")))
        assert c["green"] and c["amber"] and c["red"], level
    for level in ("policy", "agreement"):
        dims = {DIMENSION_OF[r["indicator"].split(".")[0]] for r in data["targets.csv"]
                if r["level"] == level}
        assert dims == set(DIMENSION_OF.values()), (level, dims)
    print("all checks passed")


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = argv[1] if len(argv) > 1 else os.path.join(here, "demo")
    assert sum(p for _, _, p in NEIGHBOURHOODS) == HEADLINE["out.population"]
    write(generate(), outdir)
    verify(outdir)


if __name__ == "__main__":
    main(sys.argv)
