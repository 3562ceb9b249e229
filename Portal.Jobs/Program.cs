Console.WriteLine("Portal.Jobs worker: arrives with the jobs issue.");
