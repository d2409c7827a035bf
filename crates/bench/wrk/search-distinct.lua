-- Distinct /api/search queries for wrk (docs/benchmarks.md, issue #23): two words drawn from sixty
-- catalogue words, per_page 10-30, page 1-3. Run with [search] cache_entries = 0:
--   wrk -t2 -c16 -d15s --latency -s crates/bench/wrk/search-distinct.lua http://127.0.0.1:8080
local words = {"cancer","sein","diabete","cohorte","registre","asthme","enfant","covid","obesite","parkinson","alzheimer","hepatite","vih","poumon","colorectal","cardiaque","renale","sclerose","plaques","maladies","rares","perinatalite","vaccinale","antibiotiques","medicaments","biologie","chutes","agees","sante","mentale","adolescents","bretagne","occitanie","france","belgique","finlande","danemark","essai","clinique","biobanque","enquete","entrepot","donnees","genomiques","remboursements","morbidite","type","cohort","registry","disease","health","children","breast","lung","heart","kidney","stroke","survey","trial","data"}
math.randomseed(os.time())
request = function()
  local a = words[math.random(#words)]
  local b = words[math.random(#words)]
  local per = math.random(10, 30)
  return wrk.format("GET", "/api/search?q=" .. a .. "+" .. b .. "&per_page=" .. per .. "&page=" .. math.random(1,3))
end
